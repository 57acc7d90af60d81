ALTER TABLE `photos` MODIFY COLUMN `status` enum('pending','ready','failed','paired') NOT NULL DEFAULT 'pending';--> statement-breakpoint
ALTER TABLE `photos` ADD `media_type` enum('photo','video') DEFAULT 'photo' NOT NULL;--> statement-breakpoint
ALTER TABLE `photos` ADD `duration_ms` int unsigned;--> statement-breakpoint
ALTER TABLE `photos` ADD `preview_key` varchar(255);--> statement-breakpoint
ALTER TABLE `photos` ADD `original_key` varchar(255);--> statement-breakpoint
ALTER TABLE `photos` ADD `motion_key` varchar(255);--> statement-breakpoint
ALTER TABLE `photos` ADD `content_identifier` varchar(64);--> statement-breakpoint
CREATE INDEX `photos_live_pair_idx` ON `photos` (`user_id`,`source_id`,`content_identifier`);