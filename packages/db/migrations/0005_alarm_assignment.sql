ALTER TABLE `alarms` ADD `assigned_to` int unsigned;--> statement-breakpoint
ALTER TABLE `alarms` ADD `assigned_at` datetime(3);