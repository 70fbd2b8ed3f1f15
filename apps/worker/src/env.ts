import { logEnv } from "@rantai/core/kernel/log-level";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { z } from "zod";

/*
 * The only place in apps/worker that reads process.env, parsed once at start-up; a bad value
 * stops the process with a message naming the variable and a good example.
 */

const int = (example: string) =>
  z.coerce.number({ error: `must be a whole number, e.g. ${example}` }).int(`must be a whole number, e.g. ${example}`);

export const ZWorkerEnvSchema = databaseEnv.extend({
  ...logEnv,
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: "must look like redis://127.0.0.1:6379" })
    .default("redis://127.0.0.1:6379"),
  /** Prefix of the job queues in Redis: the web app's JOB_QUEUE_PREFIX. */
  JOB_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "must be 1-40 letters, digits, '_' or '-', e.g. rantai" })
    .default("rantai"),
  /** Report exports run at once per worker process; each holds one database connection while it runs. */
  WORKER_REPORT_CONCURRENCY: int("2").min(1).max(16).default(2),
  /**
   * How long a running job's lock lasts without renewal: a worker that dies mid-job leaves its
   * job stalled for about this long before another worker (or the restarted one) takes it over.
   */
  WORKER_JOB_LOCK_MS: int("30000").min(1000).max(600_000).default(30_000),
  /**
   * How often a job may be found stalled (its worker died) and run again before it fails; the
   * export is then marked failed so its user can start it again.
   */
  WORKER_MAX_STALLED_COUNT: int("2").min(0).max(10).default(2),
  /** How often expired export files are deleted. */
  WORKER_CLEANUP_INTERVAL_SECONDS: int("3600").min(10).max(86_400).default(3600),
  /**
   * How often the facilities' cold-chain summaries are refreshed; under the three minutes a row
   * holds (COLD_CHAIN_SUMMARY_MAX_AGE_MS), so rows are renewed before they lapse.
   */
  WORKER_COLD_CHAIN_SUMMARY_SECONDS: int("60").min(5).max(120).default(60),
  /** Rows an export reads per page (and between two progress updates). */
  WORKER_EXPORT_PAGE_ROWS: int("1000").min(1).max(5000).default(1000),
  /**
   * FAULT HOOK for the crash test and drills only; unset (off) in service. Each export waits this
   * long after every page, so that a test can kill the worker in the middle of a job.
   */
  WORKER_FAULT_EXPORT_PAGE_DELAY_MS: int("500").min(1).max(60_000).optional(),
  WORKER_SHUTDOWN_TIMEOUT_MS: int("30000").min(100).max(300_000).default(30_000),
});
export type WorkerEnv = z.infer<typeof ZWorkerEnvSchema>;

export function readWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(ZWorkerEnvSchema, source);
}
