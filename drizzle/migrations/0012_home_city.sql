ALTER TABLE `users` ADD `home_city_name` varchar(200);--> statement-breakpoint
ALTER TABLE `users` ADD `home_country_code` char(2);--> statement-breakpoint
ALTER TABLE `users` ADD `home_latitude` double;--> statement-breakpoint
ALTER TABLE `users` ADD `home_longitude` double;