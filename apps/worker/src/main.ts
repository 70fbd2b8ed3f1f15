import { configureProcessLogger, errorFields } from "@rantai/core/kernel/logger";
import { createDatabase } from "@rantai/db";
import { startColdChainSummaryRefresh } from "./cold-chain-summaries";
import { readWorkerEnv } from "./env";
import { startExpiredExportCleanup, startReportExportWorker } from "./report-exports";

/*
 * The background worker: report exports from the BullMQ queue in Redis, the deletion of
 * expired export files, and the facilities' cold-chain summaries, refreshed every minute. Later background jobs (notifications) add their processors here.
 * SIGTERM/SIGINT: stop taking jobs, let running ones finish (until WORKER_SHUTDOWN_TIMEOUT_MS),
 * close the connections, exit. A job cut off by a crash is run again by BullMQ after its lock lapses.
 */

const env = readWorkerEnv();
const logger = configureProcessLogger({ service: "worker", level: env.LOG_LEVEL });

process.on("uncaughtException", (error) => {
  logger.error({ ...errorFields(error), stack: error.stack }, "uncaught_exception");
  process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  logger.error(errorFields(reason), "unhandled_rejection");
  process.exit(1);
});

const database = createDatabase({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
const reportWorker = startReportExportWorker({
  db: database.db,
  redisUrl: env.REDIS_URL,
  queuePrefix: env.JOB_QUEUE_PREFIX,
  logger,
  concurrency: env.WORKER_REPORT_CONCURRENCY,
  lockDurationMs: env.WORKER_JOB_LOCK_MS,
  maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  pageRows: env.WORKER_EXPORT_PAGE_ROWS,
  faultPageDelayMs: env.WORKER_FAULT_EXPORT_PAGE_DELAY_MS,
});
const stopCleanup = startExpiredExportCleanup(database.db, logger, env.WORKER_CLEANUP_INTERVAL_SECONDS * 1000);
const stopSummaries = startColdChainSummaryRefresh(database.db, logger, env.WORKER_COLD_CHAIN_SUMMARY_SECONDS * 1000);
await reportWorker.waitUntilReady();
logger.info({ concurrency: env.WORKER_REPORT_CONCURRENCY }, "worker_ready");

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "signal_received");
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: env.WORKER_SHUTDOWN_TIMEOUT_MS }, "shutdown_timeout");
      process.exit(1);
    }, env.WORKER_SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    void Promise.all([reportWorker.close(), stopCleanup(), stopSummaries()])
      .then(() => database.close())
      .then(() => {
        logger.info("worker_stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(errorFields(error), "shutdown_failed");
        process.exit(1);
      });
  });
}
