ALTER TABLE `sources` ADD `location_key` char(64);--> statement-breakpoint
-- Libraries made before the key (server/sources/location-key.ts computes the same hashes): the first of each user's
-- folders, Google accounts and upload libraries gets it; later duplicates keep NULL, still work, and no new one can
-- be added. Written by hand, not generated.
UPDATE `sources` s JOIN (SELECT MIN(`id`) AS `id` FROM `sources` WHERE `kind` = 'local' AND `local_path` IS NOT NULL GROUP BY `user_id`, `local_path`) f ON f.`id` = s.`id` SET s.`location_key` = SHA2(CONCAT('local:', s.`local_path`), 256);--> statement-breakpoint
UPDATE `sources` s JOIN (SELECT MIN(`id`) AS `id` FROM `sources` WHERE `kind` = 'gdrive' AND `google_account_email` IS NOT NULL GROUP BY `user_id`, LOWER(`google_account_email`)) f ON f.`id` = s.`id` SET s.`location_key` = SHA2(CONCAT('gdrive:', LOWER(s.`google_account_email`)), 256);--> statement-breakpoint
UPDATE `sources` s JOIN (SELECT MIN(`id`) AS `id` FROM `sources` WHERE `kind` = 'upload' GROUP BY `user_id`) f ON f.`id` = s.`id` SET s.`location_key` = SHA2('upload:', 256);--> statement-breakpoint
ALTER TABLE `sources` ADD CONSTRAINT `sources_user_location_uq` UNIQUE(`user_id`,`location_key`);
