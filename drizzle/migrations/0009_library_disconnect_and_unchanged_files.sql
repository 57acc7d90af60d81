ALTER TABLE `sources` ADD `disconnected_at` datetime(3);--> statement-breakpoint
ALTER TABLE `scans` ADD `unchanged` int unsigned DEFAULT 0 NOT NULL;