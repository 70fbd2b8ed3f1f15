CREATE TABLE `facility_stock_summaries` (
	`org_unit_id` int unsigned NOT NULL,
	`as_of_date` date NOT NULL,
	`valid_until` date NOT NULL,
	`vaccines` int unsigned NOT NULL,
	`stock_out_items` int unsigned NOT NULL,
	`below_min_items` int unsigned NOT NULL,
	`above_max_items` int unsigned NOT NULL,
	`expiring30_doses` int unsigned NOT NULL,
	`expiring60_doses` int unsigned NOT NULL,
	`expiring90_doses` int unsigned NOT NULL,
	`worst_status_rank` tinyint unsigned NOT NULL,
	`rates_computed_at` datetime(3),
	`last_recorded_at` datetime(3),
	`refreshed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `facility_stock_summaries_org_unit_id` PRIMARY KEY(`org_unit_id`)
);
--> statement-breakpoint
DROP INDEX `equipment_facility_idx` ON `equipment`;--> statement-breakpoint
DROP INDEX `sensors_equipment_idx` ON `sensors`;--> statement-breakpoint
CREATE INDEX `equipment_facility_status_idx` ON `equipment` (`facility_id`,`status`);--> statement-breakpoint
CREATE INDEX `sensors_equipment_active_idx` ON `sensors` (`equipment_id`,`active`,`expected_interval_seconds`);