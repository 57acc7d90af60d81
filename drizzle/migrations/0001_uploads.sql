CREATE TABLE `uploads` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`source_id` bigint unsigned NOT NULL,
	`storage_id` char(36) NOT NULL,
	`file_name` varchar(255) NOT NULL,
	`mime_type` varchar(100),
	`byte_size` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `uploads_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
CREATE INDEX `uploads_user_source_idx` ON `uploads` (`user_id`,`source_id`,`id`);