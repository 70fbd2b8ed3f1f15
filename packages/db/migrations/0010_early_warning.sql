CREATE TABLE `early_warnings` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`sensor_id` int unsigned NOT NULL,
	`equipment_id` int unsigned NOT NULL,
	`facility_id` int unsigned NOT NULL,
	`side` enum('upper','lower') NOT NULL,
	`limit_centi_c` smallint NOT NULL,
	`status` enum('open','breached','cleared') NOT NULL,
	`live_key` varchar(24),
	`opened_at` datetime(3) NOT NULL,
	`temp_centi_c` smallint NOT NULL,
	`rate_per_hour_centi_c` smallint NOT NULL,
	`predicted_breach_at` datetime(3) NOT NULL,
	`forecast_at` datetime(3) NOT NULL,
	`ended_at` datetime(3),
	`detected_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `early_warnings_id` PRIMARY KEY(`id`),
	CONSTRAINT `early_warnings_live_key_uq` UNIQUE(`live_key`)
);
--> statement-breakpoint
CREATE INDEX `early_warnings_equipment_idx` ON `early_warnings` (`equipment_id`,`status`);--> statement-breakpoint
CREATE INDEX `early_warnings_facility_idx` ON `early_warnings` (`facility_id`,`status`);--> statement-breakpoint
CREATE INDEX `early_warnings_sensor_idx` ON `early_warnings` (`sensor_id`,`opened_at`);