CREATE TABLE `history_exports` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`format` enum('csv','json','pdf') NOT NULL,
	`status` enum('queued','running','completed','failed') NOT NULL DEFAULT 'queued',
	`done` int unsigned NOT NULL DEFAULT 0,
	`total` int unsigned,
	`storage_key` varchar(255),
	`byte_size` bigint unsigned,
	`error` varchar(1000),
	`completed_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `history_exports_pk` PRIMARY KEY(`id`,`user_id`)
);
--> statement-breakpoint
CREATE TABLE `mail_deliveries` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`kind` enum('scan_finished','milestone','on_this_day') NOT NULL,
	`idempotency_key` varchar(191) NOT NULL,
	`status` enum('sending','sent') NOT NULL DEFAULT 'sending',
	`message_id` varchar(255),
	`sent_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `mail_deliveries_pk` PRIMARY KEY(`id`,`user_id`),
	CONSTRAINT `mail_deliveries_key_uq` UNIQUE(`user_id`,`idempotency_key`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `mail_scan_finished` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `mail_milestones` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `mail_on_this_day` boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `scans` ADD `trigger` enum('manual','scheduled') DEFAULT 'manual' NOT NULL;--> statement-breakpoint
CREATE INDEX `history_exports_user_created_idx` ON `history_exports` (`user_id`,`created_at`);