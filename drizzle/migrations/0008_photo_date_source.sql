ALTER TABLE `photos` ADD `taken_at_source` varchar(24);--> statement-breakpoint
ALTER TABLE `photos` ADD `metadata_notes` varchar(500);