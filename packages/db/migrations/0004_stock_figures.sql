CREATE TABLE `stock_consumption_rates` (
	`org_unit_id` int unsigned NOT NULL,
	`item_id` int unsigned NOT NULL,
	`average_monthly_consumption` int unsigned NOT NULL,
	`window_months` tinyint unsigned NOT NULL,
	`computed_at` datetime(3) NOT NULL,
	CONSTRAINT `stock_consumption_rates_org_unit_id_item_id_pk` PRIMARY KEY(`org_unit_id`,`item_id`)
);
--> statement-breakpoint
CREATE INDEX `stock_ledger_store_recorded_idx` ON `stock_ledger` (`org_unit_id`,`recorded_at`);