CREATE TABLE `sync_clients` (
	`client_id` char(36) NOT NULL,
	`user_id` int unsigned NOT NULL,
	`platform` enum('android','ios','web') NOT NULL,
	`device_label` varchar(120),
	`last_mutation_id` int unsigned NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sync_clients_client_id` PRIMARY KEY(`client_id`)
);
--> statement-breakpoint
CREATE TABLE `sync_rejections` (
	`client_id` char(36) NOT NULL,
	`mutation_id` int unsigned NOT NULL,
	`idempotency_key` varchar(96) NOT NULL,
	`kind` varchar(96) NOT NULL,
	`reason` varchar(96) NOT NULL,
	`message` varchar(500) NOT NULL,
	`params` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sync_rejections_client_id_mutation_id_pk` PRIMARY KEY(`client_id`,`mutation_id`)
);
--> statement-breakpoint
CREATE INDEX `sync_clients_user_idx` ON `sync_clients` (`user_id`);