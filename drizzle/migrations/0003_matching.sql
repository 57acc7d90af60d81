CREATE TABLE `venue_aliases` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`venue_id` bigint unsigned NOT NULL,
	`latitude` double NOT NULL,
	`longitude` double NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `venue_aliases_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
ALTER TABLE `venues` DROP INDEX `venues_setlistfm_uq`;--> statement-breakpoint
ALTER TABLE `concerts` ADD `setlistfm_url` varchar(500);--> statement-breakpoint
ALTER TABLE `concerts` ADD `latitude` double;--> statement-breakpoint
ALTER TABLE `concerts` ADD `longitude` double;--> statement-breakpoint
ALTER TABLE `concerts` ADD `time_zone` varchar(64);--> statement-breakpoint
ALTER TABLE `concerts` ADD `venue_confidence` double;--> statement-breakpoint
CREATE INDEX `venue_aliases_user_gps_idx` ON `venue_aliases` (`user_id`,`latitude`,`longitude`);--> statement-breakpoint
CREATE INDEX `venues_setlistfm_idx` ON `venues` (`setlistfm_id`);--> statement-breakpoint
CREATE INDEX `concerts_user_status_idx` ON `concerts` (`user_id`,`status`,`concert_date`);--> statement-breakpoint
CREATE INDEX `concerts_venue_date_idx` ON `concerts` (`venue_id`,`concert_date`);