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
CREATE INDEX `ingest_message_attempts_last_idx` ON `ingest_message_attempts` (`last_attempt_at`);