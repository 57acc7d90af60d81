CREATE TABLE `setlistfm_shows` (
	`setlistfm_id` varchar(16) NOT NULL,
	`setlistfm_venue_id` varchar(16) NOT NULL,
	`show_date` date NOT NULL,
	`artist_name` varchar(255) NOT NULL,
	`artist_mbid` char(36),
	`artist_sort_name` varchar(255),
	`tour` varchar(255),
	`supporting_acts` json NOT NULL,
	`setlist` json NOT NULL,
	`url` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `setlistfm_shows_pk` PRIMARY KEY(`setlistfm_id`)
);
--> statement-breakpoint
ALTER TABLE `artists` ADD `source` enum('setlistfm','user') DEFAULT 'setlistfm' NOT NULL;--> statement-breakpoint
ALTER TABLE `artists` ADD `user_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `venues` ADD `source` enum('osm','setlistfm','user') DEFAULT 'osm' NOT NULL;--> statement-breakpoint
ALTER TABLE `venues` ADD `user_id` bigint unsigned;--> statement-breakpoint
CREATE INDEX `setlistfm_shows_venue_date_idx` ON `setlistfm_shows` (`setlistfm_venue_id`,`show_date`);--> statement-breakpoint
-- Rows made before provenance was recorded. An artist without a MusicBrainz id was typed by a user, and a venue
-- without an OpenStreetMap id was placed by one: each becomes private to the first user whose concert (or venue
-- correction) uses it, and one that nobody uses goes. Written by hand, not generated.
UPDATE `artists` a SET a.`source` = 'user', a.`user_id` = (SELECT MIN(c.`user_id`) FROM `concerts` c WHERE c.`artist_id` = a.`id`) WHERE a.`mbid` IS NULL;--> statement-breakpoint
DELETE FROM `artists` WHERE `source` = 'user' AND `user_id` IS NULL;--> statement-breakpoint
UPDATE `venues` v SET v.`source` = IF(v.`setlistfm_id` IS NULL, 'user', 'setlistfm'), v.`user_id` = COALESCE((SELECT MIN(c.`user_id`) FROM `concerts` c WHERE c.`venue_id` = v.`id`), (SELECT MIN(va.`user_id`) FROM `venue_aliases` va WHERE va.`venue_id` = v.`id`)) WHERE v.`osm_id` IS NULL;--> statement-breakpoint
DELETE FROM `venues` WHERE `source` <> 'osm' AND `user_id` IS NULL;--> statement-breakpoint
ALTER TABLE `artists` ADD CONSTRAINT `artists_owner_ck` CHECK ((`source` = 'user') = (`user_id` IS NOT NULL));--> statement-breakpoint
ALTER TABLE `venues` ADD CONSTRAINT `venues_owner_ck` CHECK ((`source` = 'osm') = (`user_id` IS NULL));--> statement-breakpoint
CREATE INDEX `artists_user_name_idx` ON `artists` (`user_id`,`name`);--> statement-breakpoint
CREATE INDEX `venues_user_idx` ON `venues` (`user_id`);