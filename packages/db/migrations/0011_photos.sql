CREATE TABLE `photos` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`object_key` varchar(64) NOT NULL,
	`facility_org_unit_id` int unsigned NOT NULL,
	`uploaded_by` int unsigned NOT NULL,
	`shipment_id` bigint unsigned NOT NULL,
	`shipment_line_id` bigint unsigned,
	`batch_id` int unsigned,
	`content_type` enum('image/jpeg','image/png','image/webp') NOT NULL,
	`byte_size` int unsigned NOT NULL,
	`status` enum('pending','confirmed') NOT NULL,
	`idempotency_key` varchar(96) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`confirmed_at` datetime(3),
	CONSTRAINT `photos_id` PRIMARY KEY(`id`),
	CONSTRAINT `photos_object_key_uq` UNIQUE(`object_key`),
	CONSTRAINT `photos_idempotency_uq` UNIQUE(`idempotency_key`)
);
--> statement-breakpoint
CREATE INDEX `photos_shipment_idx` ON `photos` (`shipment_id`,`status`);