-- Raw readings are range-partitioned by device day so that old days are dropped as whole
-- partitions (retention) instead of deleted row by row. The primary key (sensor_id, ts)
-- contains the partitioning column, as MySQL requires. This migration creates a catch-all
-- for history and one for the future; ingest's partition job splits `p_future` into one
-- partition per day ahead of time and drops days past the retention period.
ALTER TABLE `readings` PARTITION BY RANGE (TO_DAYS(`ts`)) (
  PARTITION `p_history` VALUES LESS THAN (TO_DAYS('2020-01-01')),
  PARTITION `p_future` VALUES LESS THAN MAXVALUE
);
