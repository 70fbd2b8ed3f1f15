import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import { readings } from "@rantai/db";
import { getTableName } from "drizzle-orm";
import type { Pool, PoolConnection, RowDataPacket } from "mysql2/promise";
import { type PartitionInfo, type PartitionPlan, planPartitions } from "./partitions";
import { type PeriodicTask, startPeriodic } from "./periodic";

export interface PartitionJobOptions {
  retentionDays: number;
  daysAhead: number;
  table?: string;
  now?: () => Date;
  /** How long an ALTER may wait for the table's metadata lock (open ingest transactions). */
  lockWaitTimeoutSeconds?: number;
}

export type PartitionJobResult =
  | { ran: true; plan: PartitionPlan; ms: number }
  | { ran: false; reason: "locked" | "not_partitioned" };

/**
 * One round of partition maintenance: takes a MySQL user-level lock (GET_LOCK with timeout 0,
 * named per database) so that of several ingest replicas only one runs it at a time, reads the
 * partitions from information_schema, and runs the planned REORGANIZE / DROP statements on the
 * same connection. The others skip the round ("locked") and try again at their next one.
 */
export async function runPartitionJob(pool: Pool, options: PartitionJobOptions): Promise<PartitionJobResult> {
  const table = options.table ?? getTableName(readings);
  const connection = await pool.getConnection();
  try {
    const [lockRows] = await connection.query<RowDataPacket[]>(
      "SELECT GET_LOCK(LEFT(CONCAT('rantai:partitions:', DATABASE()), 64), 0) AS got",
    );
    if (Number(lockRows[0]?.got) !== 1) return { ran: false, reason: "locked" };
    try {
      return await planAndRun(connection, table, options);
    } finally {
      await connection.query("SELECT RELEASE_LOCK(LEFT(CONCAT('rantai:partitions:', DATABASE()), 64))");
    }
  } finally {
    connection.release();
  }
}

async function planAndRun(
  connection: PoolConnection,
  table: string,
  options: PartitionJobOptions,
): Promise<PartitionJobResult> {
  const started = Date.now();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT PARTITION_NAME AS name, PARTITION_DESCRIPTION AS description
       FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL
      ORDER BY PARTITION_ORDINAL_POSITION`,
    [table],
  );
  const partitions: PartitionInfo[] = rows.map((row) => ({
    name: String(row.name),
    description: String(row.description),
  }));
  if (partitions.length === 0) return { ran: false, reason: "not_partitioned" };
  const plan = planPartitions({
    table,
    partitions,
    now: options.now?.() ?? new Date(),
    retentionDays: options.retentionDays,
    daysAhead: options.daysAhead,
  });
  await connection.query(`SET SESSION lock_wait_timeout = ${Math.round(options.lockWaitTimeoutSeconds ?? 30)}`);
  for (const statement of plan.statements) await connection.query(statement);
  return { ran: true, plan, ms: Date.now() - started };
}

export type PartitionMaintenance = PeriodicTask;

/**
 * Runs the job now and then every `intervalMs` (hourly in ingest). A failed round is logged and
 * retried at the next one; it never stops ingest.
 */
export function startPartitionMaintenance(
  pool: Pool,
  options: PartitionJobOptions & { intervalMs: number; logger: Logger },
): PartitionMaintenance {
  const { logger } = options;
  const round = async () => {
    try {
      const result = await runPartitionJob(pool, options);
      if (!result.ran) {
        if (result.reason === "not_partitioned") logger.warn({ table: options.table }, "partitions_not_partitioned");
        return;
      }
      const { plan } = result;
      for (const warning of plan.warnings) logger.warn({ warning }, "partitions_warning");
      if (plan.added.length > 0 || plan.dropped.length > 0) {
        logger.info(
          {
            added: plan.added.length,
            firstAdded: plan.added[0],
            lastAdded: plan.added.at(-1),
            dropped: plan.dropped,
            ms: result.ms,
          },
          "partitions_maintained",
        );
      }
    } catch (error) {
      logger.error(errorFields(error), "partitions_failed");
    }
  };
  return startPeriodic(round, { intervalMs: options.intervalMs, runAtStart: true });
}
