CREATE TABLE `org_units` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`parent_id` int unsigned,
	`level` enum('national','province','district','facility') NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(160) NOT NULL,
	`path` varchar(255) NOT NULL,
	`depth` tinyint unsigned NOT NULL,
	`facility_type` varchar(32),
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `org_units_id` PRIMARY KEY(`id`),
	CONSTRAINT `org_units_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`occurred_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`actor_user_id` int unsigned,
	`actor_client_id` int unsigned,
	`action` varchar(96) NOT NULL,
	`outcome` enum('success','denied','failed') NOT NULL,
	`entity_type` varchar(48),
	`entity_id` varchar(64),
	`org_unit_id` int unsigned,
	`ip` varchar(45),
	`user_agent` varchar(255),
	`request_id` varchar(64),
	`before` json,
	`after` json,
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `auth_accounts` (
	`user_id` int unsigned NOT NULL,
	`type` varchar(32) NOT NULL,
	`provider` varchar(64) NOT NULL,
	`provider_account_id` varchar(191) NOT NULL,
	`refresh_token` text,
	`access_token` text,
	`expires_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `auth_accounts_provider_provider_account_id_pk` PRIMARY KEY(`provider`,`provider_account_id`)
);
--> statement-breakpoint
CREATE TABLE `auth_sessions` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`user_id` int unsigned NOT NULL,
	`kind` enum('mobile') NOT NULL,
	`token_hash` char(64) NOT NULL,
	`device_name` varchar(120),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`expires_at` datetime(3) NOT NULL,
	`last_used_at` datetime(3),
	`revoked_at` datetime(3),
	CONSTRAINT `auth_sessions_id` PRIMARY KEY(`id`),
	CONSTRAINT `auth_sessions_token_uq` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `auth_verification_tokens` (
	`identifier` varchar(254) NOT NULL,
	`token_hash` char(64) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `auth_verification_tokens_identifier_token_hash_pk` PRIMARY KEY(`identifier`,`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `machine_clients` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`client_id` varchar(64) NOT NULL,
	`name` varchar(120) NOT NULL,
	`secret_hash` varchar(255) NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`scopes` json NOT NULL,
	`active` boolean NOT NULL DEFAULT true,
	`last_used_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `machine_clients_id` PRIMARY KEY(`id`),
	CONSTRAINT `machine_clients_client_id_uq` UNIQUE(`client_id`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`email` varchar(254) NOT NULL,
	`name` varchar(120) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`role` enum('national_admin','province_officer','district_officer','facility_staff','viewer') NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`locale` enum('id','en') NOT NULL DEFAULT 'id',
	`active` boolean NOT NULL DEFAULT true,
	`last_login_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_uq` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `batches` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`item_id` int unsigned NOT NULL,
	`lot_number` varchar(64) NOT NULL,
	`expiry_date` date NOT NULL,
	`manufacturer` varchar(120) NOT NULL,
	`gtin` varchar(14),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `batches_id` PRIMARY KEY(`id`),
	CONSTRAINT `batches_item_lot_uq` UNIQUE(`item_id`,`lot_number`)
);
--> statement-breakpoint
CREATE TABLE `client_mutations` (
	`idempotency_key` varchar(96) NOT NULL,
	`user_id` int unsigned,
	`procedure` varchar(96) NOT NULL,
	`payload_hash` char(64) NOT NULL,
	`result` json,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `client_mutations_idempotency_key` PRIMARY KEY(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `items` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`code` varchar(32) NOT NULL,
	`name` varchar(120) NOT NULL,
	`kind` enum('vaccine','diluent','syringe','safety_box') NOT NULL,
	`doses_per_vial` smallint unsigned NOT NULL,
	`storage_min_c` decimal(4,1),
	`storage_max_c` decimal(4,1),
	`freeze_sensitive` boolean NOT NULL,
	`vvm_type` enum('VVM2','VVM7','VVM14','VVM30','none') NOT NULL,
	`open_vial_policy` enum('keep_28_days','discard_6_hours','not_applicable') NOT NULL,
	`diluent_item_id` int unsigned,
	`gtin` varchar(14),
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `items_id` PRIMARY KEY(`id`),
	CONSTRAINT `items_code_uq` UNIQUE(`code`)
);
--> statement-breakpoint
CREATE TABLE `stock_balances` (
	`org_unit_id` int unsigned NOT NULL,
	`batch_id` int unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`quantity` int NOT NULL,
	`vvm_stage` tinyint unsigned NOT NULL DEFAULT 1,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_balances_org_unit_id_batch_id_pk` PRIMARY KEY(`org_unit_id`,`batch_id`),
	CONSTRAINT `stock_balances_non_negative` CHECK(`stock_balances`.`quantity` >= 0)
);
--> statement-breakpoint
CREATE TABLE `stock_ledger` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`batch_id` int unsigned NOT NULL,
	`movement_type` enum('receipt','transfer_out','transfer_in','usage','adjustment','discard','return_out','return_in','count','reversal') NOT NULL,
	`quantity` int NOT NULL,
	`balance_after` int NOT NULL,
	`doses_administered` int,
	`counterparty_org_unit_id` int unsigned,
	`counterparty_name` varchar(160),
	`reason` varchar(48),
	`reference` varchar(96),
	`shipment_id` bigint unsigned,
	`vvm_stage` tinyint unsigned,
	`reverses_entry_id` bigint unsigned,
	`note` varchar(500),
	`idempotency_key` varchar(96) NOT NULL,
	`occurred_at` datetime(3) NOT NULL,
	`recorded_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`user_id` int unsigned,
	CONSTRAINT `stock_ledger_id` PRIMARY KEY(`id`),
	CONSTRAINT `stock_ledger_idempotency_uq` UNIQUE(`idempotency_key`,`batch_id`)
);
--> statement-breakpoint
CREATE TABLE `stock_levels` (
	`org_unit_id` int unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`min_months` decimal(4,2) NOT NULL,
	`max_months` decimal(4,2) NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_levels_org_unit_id_item_id_pk` PRIMARY KEY(`org_unit_id`,`item_id`)
);
--> statement-breakpoint
CREATE TABLE `shipment_lines` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shipment_id` bigint unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`batch_id` int unsigned NOT NULL,
	`quantity` int NOT NULL,
	`vvm_stage` tinyint unsigned NOT NULL,
	CONSTRAINT `shipment_lines_id` PRIMARY KEY(`id`),
	CONSTRAINT `shipment_lines_batch_uq` UNIQUE(`shipment_id`,`batch_id`)
);
--> statement-breakpoint
CREATE TABLE `shipment_receipt_lines` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`receipt_id` bigint unsigned NOT NULL,
	`shipment_line_id` bigint unsigned NOT NULL,
	`batch_id` int unsigned NOT NULL,
	`received_quantity` int NOT NULL,
	`discrepancy` enum('none','short','damaged','wrong_batch','excess') NOT NULL,
	`discrepancy_quantity` int NOT NULL DEFAULT 0,
	`note` varchar(500),
	CONSTRAINT `shipment_receipt_lines_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `shipment_receipts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`shipment_id` bigint unsigned NOT NULL,
	`received_by` int unsigned NOT NULL,
	`received_at` datetime(3) NOT NULL,
	`note` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `shipment_receipts_id` PRIMARY KEY(`id`),
	CONSTRAINT `shipment_receipts_shipment_uq` UNIQUE(`shipment_id`)
);
--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`sender_org_unit_id` int unsigned NOT NULL,
	`receiver_org_unit_id` int unsigned NOT NULL,
	`request_id` bigint unsigned,
	`status` enum('draft','dispatched','received','cancelled') NOT NULL,
	`idempotency_key` varchar(96) NOT NULL,
	`created_by` int unsigned NOT NULL,
	`dispatched_by` int unsigned,
	`dispatched_at` datetime(3),
	`received_by` int unsigned,
	`received_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `shipments_id` PRIMARY KEY(`id`),
	CONSTRAINT `shipments_idempotency_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `stock_request_lines` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`request_id` bigint unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`stock_on_hand` int NOT NULL,
	`average_monthly_consumption` int NOT NULL,
	`suggested_doses` int NOT NULL,
	`requested_doses` int NOT NULL,
	`approved_doses` int,
	CONSTRAINT `stock_request_lines_id` PRIMARY KEY(`id`),
	CONSTRAINT `stock_request_lines_item_uq` UNIQUE(`request_id`,`item_id`)
);
--> statement-breakpoint
CREATE TABLE `stock_requests` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`requester_org_unit_id` int unsigned NOT NULL,
	`supplier_org_unit_id` int unsigned NOT NULL,
	`status` enum('draft','submitted','approved','rejected','fulfilled','cancelled') NOT NULL,
	`idempotency_key` varchar(96) NOT NULL,
	`created_by` int unsigned NOT NULL,
	`submitted_at` datetime(3),
	`decided_by` int unsigned,
	`decided_at` datetime(3),
	`rejection_reason` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_requests_id` PRIMARY KEY(`id`),
	CONSTRAINT `stock_requests_idempotency_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `supply_links` (
	`supplier_org_unit_id` int unsigned NOT NULL,
	`receiver_org_unit_id` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `supply_links_supplier_org_unit_id_receiver_org_unit_id_pk` PRIMARY KEY(`supplier_org_unit_id`,`receiver_org_unit_id`)
);
--> statement-breakpoint
CREATE TABLE `alarm_rules` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`equipment_id` int unsigned NOT NULL,
	`type` enum('heat','freeze','excursion','no_data','low_battery') NOT NULL,
	`threshold_centi_c` smallint,
	`threshold_inclusive` boolean NOT NULL DEFAULT false,
	`duration_seconds` int unsigned NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `alarm_rules_id` PRIMARY KEY(`id`),
	CONSTRAINT `alarm_rules_equipment_type_uq` UNIQUE(`equipment_id`,`type`)
);
--> statement-breakpoint
CREATE TABLE `alarms` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`equipment_id` int unsigned NOT NULL,
	`sensor_id` int unsigned NOT NULL,
	`facility_id` int unsigned NOT NULL,
	`type` enum('heat','freeze','excursion','no_data','low_battery') NOT NULL,
	`status` enum('open','acknowledged','resolved','retracted') NOT NULL,
	`live_key` varchar(48),
	`started_at` datetime(3) NOT NULL,
	`last_out_of_range_at` datetime(3),
	`ended_at` datetime(3),
	`duration_seconds` int unsigned NOT NULL DEFAULT 0,
	`peak_centi_c` smallint,
	`min_centi_c` smallint,
	`heat_exposure_centi_degree_hours` int unsigned NOT NULL DEFAULT 0,
	`acknowledged_at` datetime(3),
	`acknowledged_by` int unsigned,
	`acknowledgement_comment` varchar(1000),
	`resolved_at` datetime(3),
	`retracted_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `alarms_id` PRIMARY KEY(`id`),
	CONSTRAINT `alarms_live_key_uq` UNIQUE(`live_key`)
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`received_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`source` varchar(16) NOT NULL,
	`topic` varchar(255) NOT NULL,
	`device_id` varchar(64),
	`reason_code` varchar(48) NOT NULL,
	`reason` varchar(2000) NOT NULL,
	`reading_index` int unsigned,
	`payload` mediumblob NOT NULL,
	`details` json,
	CONSTRAINT `dead_letters_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `equipment` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`facility_id` int unsigned NOT NULL,
	`kind` enum('refrigerator','freezer','fridge_freezer','cold_box','vaccine_carrier') NOT NULL,
	`name` varchar(120) NOT NULL,
	`manufacturer` varchar(120),
	`model` varchar(120),
	`pqs_code` varchar(32),
	`serial_number` varchar(64),
	`status` enum('functional','needs_repair','non_functional','decommissioned') NOT NULL DEFAULT 'functional',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `equipment_id` PRIMARY KEY(`id`),
	CONSTRAINT `equipment_serial_uq` UNIQUE(`serial_number`)
);
--> statement-breakpoint
CREATE TABLE `reading_rollups_daily` (
	`sensor_id` int unsigned NOT NULL,
	`bucket_start` datetime(3) NOT NULL,
	`min_centi_c` smallint NOT NULL,
	`max_centi_c` smallint NOT NULL,
	`sum_centi_c` int NOT NULL,
	`count` int unsigned NOT NULL,
	CONSTRAINT `reading_rollups_daily_sensor_id_bucket_start_pk` PRIMARY KEY(`sensor_id`,`bucket_start`)
);
--> statement-breakpoint
CREATE TABLE `reading_rollups_hourly` (
	`sensor_id` int unsigned NOT NULL,
	`bucket_start` datetime(3) NOT NULL,
	`min_centi_c` smallint NOT NULL,
	`max_centi_c` smallint NOT NULL,
	`sum_centi_c` int NOT NULL,
	`count` int unsigned NOT NULL,
	CONSTRAINT `reading_rollups_hourly_sensor_id_bucket_start_pk` PRIMARY KEY(`sensor_id`,`bucket_start`)
);
--> statement-breakpoint
CREATE TABLE `readings` (
	`sensor_id` int unsigned NOT NULL,
	`ts` datetime(3) NOT NULL,
	`temp_centi_c` smallint NOT NULL,
	`battery_pct` tinyint unsigned,
	`seq` int unsigned,
	`received_at` datetime(3) NOT NULL,
	CONSTRAINT `readings_sensor_id_ts_pk` PRIMARY KEY(`sensor_id`,`ts`)
);
--> statement-breakpoint
CREATE TABLE `sensor_states` (
	`sensor_id` int unsigned NOT NULL,
	`last_reading_at` datetime(3) NOT NULL,
	`last_temp_centi_c` smallint NOT NULL,
	`last_battery_pct` tinyint unsigned,
	`last_received_at` datetime(3) NOT NULL,
	`online` boolean,
	`online_changed_at` datetime(3),
	CONSTRAINT `sensor_states_sensor_id` PRIMARY KEY(`sensor_id`)
);
--> statement-breakpoint
CREATE TABLE `sensors` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`device_id` varchar(64) NOT NULL,
	`equipment_id` int unsigned NOT NULL,
	`credential_hash` varchar(255) NOT NULL,
	`credential_issued_at` datetime(3) NOT NULL,
	`active` boolean NOT NULL DEFAULT true,
	`expected_interval_seconds` int unsigned NOT NULL DEFAULT 600,
	`firmware` varchar(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sensors_id` PRIMARY KEY(`id`),
	CONSTRAINT `sensors_device_id_uq` UNIQUE(`device_id`)
);
--> statement-breakpoint
CREATE TABLE `notification_deliveries` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`outbox_id` bigint unsigned NOT NULL,
	`user_id` int unsigned NOT NULL,
	`channel` enum('in_app','email','sms','push') NOT NULL,
	`status` enum('pending','sent','failed') NOT NULL,
	`sent_at` datetime(3),
	`read_at` datetime(3),
	`last_error` varchar(1000),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `notification_deliveries_id` PRIMARY KEY(`id`),
	CONSTRAINT `notification_deliveries_once_uq` UNIQUE(`outbox_id`,`user_id`,`channel`)
);
--> statement-breakpoint
CREATE TABLE `notification_outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`kind` varchar(48) NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`aggregate_type` varchar(48) NOT NULL,
	`aggregate_id` varchar(64) NOT NULL,
	`event_key` varchar(128) NOT NULL,
	`payload` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`processed_at` datetime(3),
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`last_error` varchar(1000),
	CONSTRAINT `notification_outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `notification_outbox_event_uq` UNIQUE(`event_key`)
);
--> statement-breakpoint
CREATE TABLE `change_outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`entity_type` varchar(48) NOT NULL,
	`entity_id` varchar(64) NOT NULL,
	`org_unit_id` int unsigned NOT NULL,
	`operation` enum('create','update','delete') NOT NULL,
	`payload` json NOT NULL,
	`occurred_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `change_outbox_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `integration_cursors` (
	`machine_client_id` int unsigned NOT NULL,
	`feed` varchar(48) NOT NULL,
	`last_change_id` bigint unsigned NOT NULL,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `integration_cursors_machine_client_id_feed_pk` PRIMARY KEY(`machine_client_id`,`feed`)
);
--> statement-breakpoint
CREATE INDEX `org_units_path_idx` ON `org_units` (`path`);--> statement-breakpoint
CREATE INDEX `org_units_parent_idx` ON `org_units` (`parent_id`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_user_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_log_org_unit_idx` ON `audit_log` (`org_unit_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `auth_accounts_user_idx` ON `auth_accounts` (`user_id`);--> statement-breakpoint
CREATE INDEX `auth_sessions_user_idx` ON `auth_sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `users_org_unit_idx` ON `users` (`org_unit_id`);--> statement-breakpoint
CREATE INDEX `batches_expiry_idx` ON `batches` (`expiry_date`);--> statement-breakpoint
CREATE INDEX `client_mutations_user_idx` ON `client_mutations` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `stock_balances_store_item_idx` ON `stock_balances` (`org_unit_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `stock_ledger_store_batch_idx` ON `stock_ledger` (`org_unit_id`,`batch_id`,`id`);--> statement-breakpoint
CREATE INDEX `stock_ledger_store_item_time_idx` ON `stock_ledger` (`org_unit_id`,`item_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `stock_ledger_shipment_idx` ON `stock_ledger` (`shipment_id`);--> statement-breakpoint
CREATE INDEX `shipment_receipt_lines_receipt_idx` ON `shipment_receipt_lines` (`receipt_id`);--> statement-breakpoint
CREATE INDEX `shipments_sender_idx` ON `shipments` (`sender_org_unit_id`,`status`);--> statement-breakpoint
CREATE INDEX `shipments_receiver_idx` ON `shipments` (`receiver_org_unit_id`,`status`);--> statement-breakpoint
CREATE INDEX `stock_requests_requester_idx` ON `stock_requests` (`requester_org_unit_id`,`status`);--> statement-breakpoint
CREATE INDEX `stock_requests_supplier_idx` ON `stock_requests` (`supplier_org_unit_id`,`status`);--> statement-breakpoint
CREATE INDEX `alarms_facility_idx` ON `alarms` (`facility_id`,`status`);--> statement-breakpoint
CREATE INDEX `alarms_sensor_idx` ON `alarms` (`sensor_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_received_idx` ON `dead_letters` (`received_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_device_idx` ON `dead_letters` (`device_id`);--> statement-breakpoint
CREATE INDEX `equipment_facility_idx` ON `equipment` (`facility_id`);--> statement-breakpoint
CREATE INDEX `sensors_equipment_idx` ON `sensors` (`equipment_id`);--> statement-breakpoint
CREATE INDEX `notification_deliveries_user_idx` ON `notification_deliveries` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notification_outbox_pending_idx` ON `notification_outbox` (`processed_at`,`id`);--> statement-breakpoint
CREATE INDEX `change_outbox_org_unit_idx` ON `change_outbox` (`org_unit_id`,`id`);