CREATE TABLE `facility_cold_chain_summaries` (
	`org_unit_id` int unsigned NOT NULL,
	`fridges` int unsigned NOT NULL,
	`fridges_offline` int unsigned NOT NULL,
	`fridges_silent` int unsigned NOT NULL,
	`computed_at` datetime(3) NOT NULL,
	`valid_until` datetime(3) NOT NULL,
	CONSTRAINT `facility_cold_chain_summaries_org_unit_id` PRIMARY KEY(`org_unit_id`)
);
