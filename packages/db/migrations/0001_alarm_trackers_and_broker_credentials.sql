CREATE TABLE `alarm_trackers` (
	`sensor_id` int unsigned NOT NULL,
	`type` enum('heat','freeze','excursion','no_data','low_battery') NOT NULL,
	`last_reading_at` datetime(3) NOT NULL,
	`last_centi_c` smallint NOT NULL,
	`episode_started_at` datetime(3),
	`last_out_of_range_at` datetime(3),
	`peak_centi_c` smallint,
	`min_centi_c` smallint,
	`heat_exposure_centi_degree_hours` int unsigned NOT NULL DEFAULT 0,
	`alarm_id` bigint unsigned,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `alarm_trackers_sensor_id_type_pk` PRIMARY KEY(`sensor_id`,`type`)
);
--> statement-breakpoint
ALTER TABLE `alarms` ADD `detected_late` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `sensors` ADD `broker_password_hash` varchar(255);