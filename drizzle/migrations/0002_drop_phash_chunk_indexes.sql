DROP INDEX `photos_user_phash0_idx` ON `photos`;--> statement-breakpoint
DROP INDEX `photos_user_phash1_idx` ON `photos`;--> statement-breakpoint
DROP INDEX `photos_user_phash2_idx` ON `photos`;--> statement-breakpoint
DROP INDEX `photos_user_phash3_idx` ON `photos`;