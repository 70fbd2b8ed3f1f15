CREATE TABLE `report_export_chunks` (
	`export_id` bigint unsigned NOT NULL,
	`sequence` int unsigned NOT NULL,
	`data` mediumblob NOT NULL,
	CONSTRAINT `report_export_chunks_export_id_sequence_pk` PRIMARY KEY(`export_id`,`sequence`)
);
--> statement-breakpoint
CREATE TABLE `report_exports` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`user_id` int unsigned NOT NULL,
	`request_key` varchar(64) NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`report` varchar(48) NOT NULL,
	`format` enum('csv','xlsx') NOT NULL,
	`parameters` json NOT NULL,
	`status` enum('queued','running','done','failed') NOT NULL DEFAULT 'queued',
	`rows_written` int unsigned NOT NULL DEFAULT 0,
	`rows_total` int unsigned,
	`byte_size` bigint unsigned NOT NULL DEFAULT 0,
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`error` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` datetime(3),
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `report_exports_id` PRIMARY KEY(`id`),
	CONSTRAINT `report_exports_user_request_uq` UNIQUE(`user_id`,`request_key`)
);
--> statement-breakpoint
CREATE INDEX `report_exports_user_created_idx` ON `report_exports` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `report_exports_expires_idx` ON `report_exports` (`expires_at`);