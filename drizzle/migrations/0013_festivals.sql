CREATE TABLE `festival_acts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`festival_id` bigint unsigned NOT NULL,
	`day_date` date NOT NULL,
	`artist_id` bigint unsigned NOT NULL,
	`stage` varchar(255),
	`position` int unsigned NOT NULL,
	`setlistfm_id` varchar(16),
	`setlistfm_url` varchar(500),
	`setlist` json,
	`set_start` varchar(5),
	`set_end` varchar(5),
	`concert_id` bigint unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `festival_acts_pk` PRIMARY KEY(`id`,`user_id`),
	CONSTRAINT `festival_acts_day_artist_uq` UNIQUE(`user_id`,`festival_id`,`day_date`,`artist_id`)
);
--> statement-breakpoint
CREATE TABLE `festivals` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`name` varchar(255) NOT NULL,
	`venue_id` bigint unsigned,
	`site_key` varchar(255) NOT NULL,
	`site_name` varchar(255) NOT NULL,
	`city` varchar(255),
	`country_code` char(2),
	`latitude` double,
	`longitude` double,
	`time_zone` varchar(64),
	`first_date` date NOT NULL,
	`last_date` date NOT NULL,
	`source` enum('setlistfm','user') NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `festivals_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
ALTER TABLE `concerts` ADD `festival_id` bigint unsigned;--> statement-breakpoint
ALTER TABLE `photos` ADD `festival_id` bigint unsigned;--> statement-breakpoint
CREATE INDEX `festival_acts_concert_idx` ON `festival_acts` (`user_id`,`concert_id`);--> statement-breakpoint
CREATE INDEX `festivals_user_site_idx` ON `festivals` (`user_id`,`site_key`,`first_date`);--> statement-breakpoint
CREATE INDEX `festivals_user_venue_idx` ON `festivals` (`user_id`,`venue_id`,`first_date`);--> statement-breakpoint
CREATE INDEX `concerts_user_festival_idx` ON `concerts` (`user_id`,`festival_id`);--> statement-breakpoint
CREATE INDEX `photos_festival_idx` ON `photos` (`user_id`,`festival_id`,`concert_id`);