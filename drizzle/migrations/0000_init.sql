CREATE TABLE `users` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`email` varchar(320) NOT NULL,
	`name` varchar(100) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`role` enum('user','admin') NOT NULL DEFAULT 'user',
	`time_zone` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_pk` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_uq` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `artists` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(255) NOT NULL,
	`sort_name` varchar(255),
	`mbid` char(36),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `artists_pk` PRIMARY KEY(`id`),
	CONSTRAINT `artists_mbid_uq` UNIQUE(`mbid`)
);
--> statement-breakpoint
CREATE TABLE `venues` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(255) NOT NULL,
	`city` varchar(255),
	`country_code` char(2),
	`latitude` double NOT NULL,
	`longitude` double NOT NULL,
	`osm_type` enum('node','way','relation'),
	`osm_id` bigint unsigned,
	`setlistfm_id` varchar(16),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `venues_pk` PRIMARY KEY(`id`),
	CONSTRAINT `venues_osm_uq` UNIQUE(`osm_type`,`osm_id`),
	CONSTRAINT `venues_setlistfm_uq` UNIQUE(`setlistfm_id`)
);
--> statement-breakpoint
CREATE TABLE `concerts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`artist_id` bigint unsigned,
	`venue_id` bigint unsigned,
	`concert_date` date NOT NULL,
	`city` varchar(255),
	`country_code` char(2),
	`tour` varchar(255),
	`supporting_acts` json,
	`setlist` json,
	`setlistfm_id` varchar(16),
	`notes` text,
	`status` enum('confirmed','needs_review') NOT NULL DEFAULT 'needs_review',
	`event_key` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `concerts_pk` PRIMARY KEY(`id`,`user_id`),
	CONSTRAINT `concerts_user_event_uq` UNIQUE(`user_id`,`event_key`)
);
--> statement-breakpoint
CREATE TABLE `sources` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`kind` enum('local','upload','gdrive') NOT NULL,
	`label` varchar(255) NOT NULL,
	`local_path` varchar(1024),
	`google_account_email` varchar(320),
	`encrypted_refresh_token` text,
	`changes_page_token` varchar(255),
	`rescan_schedule` enum('off','daily','weekly') NOT NULL DEFAULT 'off',
	`last_scan_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sources_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `scans` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`source_id` bigint unsigned NOT NULL,
	`status` enum('queued','running','completed','failed','cancelled') NOT NULL DEFAULT 'queued',
	`active_source_id` bigint unsigned,
	`listed` int unsigned NOT NULL DEFAULT 0,
	`processed` int unsigned NOT NULL DEFAULT 0,
	`failed` int unsigned NOT NULL DEFAULT 0,
	`duplicates` int unsigned NOT NULL DEFAULT 0,
	`matched` int unsigned NOT NULL DEFAULT 0,
	`error` varchar(1000),
	`started_at` datetime(3),
	`finished_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `scans_pk` PRIMARY KEY(`id`,`user_id`),
	CONSTRAINT `scans_one_active_per_source_uq` UNIQUE(`user_id`,`active_source_id`)
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`source_id` bigint unsigned NOT NULL,
	`source_file_id` varchar(255) NOT NULL,
	`scan_id` bigint unsigned,
	`file_name` varchar(255) NOT NULL,
	`mime_type` varchar(100),
	`byte_size` bigint unsigned,
	`width` int unsigned,
	`height` int unsigned,
	`content_hash` varchar(64),
	`content_hash_kind` enum('sha256','md5'),
	`perceptual_hash` bigint unsigned,
	`phash_0` smallint unsigned,
	`phash_1` smallint unsigned,
	`phash_2` smallint unsigned,
	`phash_3` smallint unsigned,
	`taken_at` datetime(3),
	`time_zone` varchar(64),
	`latitude` double,
	`longitude` double,
	`camera_make` varchar(100),
	`camera_model` varchar(100),
	`orientation` tinyint unsigned,
	`status` enum('pending','ready','failed') NOT NULL DEFAULT 'pending',
	`failure_reason` varchar(500),
	`starred` boolean NOT NULL DEFAULT false,
	`hidden` boolean NOT NULL DEFAULT false,
	`thumbnail_key` varchar(255),
	`variants_key` varchar(255),
	`blur_placeholder` varchar(128),
	`duplicate_group_id` bigint unsigned,
	`concert_id` bigint unsigned,
	`event_key` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `photos_pk` PRIMARY KEY(`id`,`user_id`),
	CONSTRAINT `photos_user_source_file_uq` UNIQUE(`user_id`,`source_id`,`source_file_id`)
);
--> statement-breakpoint
CREATE TABLE `duplicate_groups` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`kind` enum('exact','near','burst') NOT NULL,
	`primary_photo_id` bigint unsigned,
	`resolved_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `duplicate_groups_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `processed_files` (
	`user_id` bigint unsigned NOT NULL,
	`source_id` bigint unsigned NOT NULL,
	`file_id` varchar(255) NOT NULL,
	`fingerprint` varchar(128) NOT NULL,
	`outcome` enum('ingested','failed') NOT NULL,
	`photo_id` bigint unsigned,
	`processed_at` datetime(3) NOT NULL,
	CONSTRAINT `processed_files_pk` PRIMARY KEY(`user_id`,`source_id`,`file_id`)
);
--> statement-breakpoint
CREATE INDEX `artists_name_idx` ON `artists` (`name`);--> statement-breakpoint
CREATE INDEX `venues_gps_idx` ON `venues` (`latitude`,`longitude`);--> statement-breakpoint
CREATE INDEX `concerts_user_date_idx` ON `concerts` (`user_id`,`concert_date`);--> statement-breakpoint
CREATE INDEX `concerts_user_venue_date_idx` ON `concerts` (`user_id`,`venue_id`,`concert_date`);--> statement-breakpoint
CREATE INDEX `concerts_user_artist_idx` ON `concerts` (`user_id`,`artist_id`);--> statement-breakpoint
CREATE INDEX `sources_user_idx` ON `sources` (`user_id`);--> statement-breakpoint
CREATE INDEX `scans_user_created_idx` ON `scans` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `photos_concert_idx` ON `photos` (`user_id`,`concert_id`,`starred`,`created_at`);--> statement-breakpoint
CREATE INDEX `photos_unmatched_idx` ON `photos` (`user_id`,`concert_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `photos_user_taken_idx` ON `photos` (`user_id`,`taken_at`);--> statement-breakpoint
CREATE INDEX `photos_user_hash_idx` ON `photos` (`user_id`,`content_hash`);--> statement-breakpoint
CREATE INDEX `photos_user_phash0_idx` ON `photos` (`user_id`,`phash_0`);--> statement-breakpoint
CREATE INDEX `photos_user_phash1_idx` ON `photos` (`user_id`,`phash_1`);--> statement-breakpoint
CREATE INDEX `photos_user_phash2_idx` ON `photos` (`user_id`,`phash_2`);--> statement-breakpoint
CREATE INDEX `photos_user_phash3_idx` ON `photos` (`user_id`,`phash_3`);--> statement-breakpoint
CREATE INDEX `photos_user_group_idx` ON `photos` (`user_id`,`duplicate_group_id`);--> statement-breakpoint
CREATE INDEX `photos_user_scan_status_idx` ON `photos` (`user_id`,`scan_id`,`status`);--> statement-breakpoint
CREATE INDEX `duplicate_groups_user_open_idx` ON `duplicate_groups` (`user_id`,`resolved_at`);--> statement-breakpoint
CREATE INDEX `processed_files_user_file_idx` ON `processed_files` (`user_id`,`file_id`);