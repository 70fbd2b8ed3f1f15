CREATE TABLE `ingest_message_attempts` (
	`message_key` char(64) NOT NULL,
	`topic` varchar(255) NOT NULL,
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`first_attempt_at` datetime(3) NOT NULL,
	`last_attempt_at` datetime(3) NOT NULL,
	CONSTRAINT `ingest_message_attempts_message_key` PRIMARY KEY(`message_key`)
);
--> statement-breakpoint
ALTER TABLE `auth_sessions` ADD `user_session_version` int unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `session_version` int unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `alarms` ADD `opened_at` datetime(3);--> statement-breakpoint
ALTER TABLE `alarms` ADD `detected_at` datetime(3);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `payload_bytes` int unsigned;--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `payload_sha256` char(64);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD `message_key` char(64);--> statement-breakpoint
ALTER TABLE `dead_letters` ADD CONSTRAINT `dead_letters_message_key_uq` UNIQUE(`message_key`);--> statement-breakpoint
CREATE INDEX `ingest_message_attempts_last_idx` ON `ingest_message_attempts` (`last_attempt_at`);--> statement-breakpoint
-- Alarms raised before opened_at/detected_at existed: detected when the row was written, opened
-- at the start plus the duration of the fridge's rule (its own alarm_rules row, else the default:
-- HEAT 10 h, FREEZE and EXCURSION 1 h, LOW_BATTERY at once, NO_DATA max(1 h, 2 x the logging
-- interval)), never past the run's last out-of-range reading. With readings at irregular times the
-- true value can be later than this; the next recomputation of such an alarm corrects it.
UPDATE `alarms` SET `detected_at` = `created_at` WHERE `detected_at` IS NULL;--> statement-breakpoint
UPDATE `alarms` AS a
  LEFT JOIN `alarm_rules` AS r ON r.`equipment_id` = a.`equipment_id` AND r.`type` = a.`type`
  LEFT JOIN `sensors` AS s ON s.`id` = a.`sensor_id`
SET a.`opened_at` = a.`started_at` + INTERVAL COALESCE(r.`duration_seconds`, CASE a.`type`
    WHEN 'heat' THEN 36000
    WHEN 'freeze' THEN 3600
    WHEN 'excursion' THEN 3600
    WHEN 'low_battery' THEN 0
    ELSE GREATEST(3600, 2 * COALESCE(s.`expected_interval_seconds`, 0)) END) SECOND
WHERE a.`opened_at` IS NULL;--> statement-breakpoint
UPDATE `alarms` SET `opened_at` = `last_out_of_range_at` WHERE `opened_at` > `last_out_of_range_at`;
