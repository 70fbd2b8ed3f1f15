import { setTimeout as delay } from "node:timers/promises";
import { AppError } from "@rantai/core/kernel";
import type { Logger } from "@rantai/core/kernel/logger";
import { errorFields } from "@rantai/core/kernel/logger";
import {
  deleteExpiredReportExports,
  findIdleUnfinishedReportExports,
  markReportExportFailed,
  REPORT_EXPORT_QUEUE,
  type ReportExportJob,
  reportExportJobId,
  runReportExport,
} from "@rantai/core/reports";
import type { Database } from "@rantai/db";
import { type Job, Queue, Worker } from "bullmq";
import { reportLabelsFor } from "./labels";

export interface ReportExportWorkerOptions {
  db: Database;
  redisUrl: string;
  queuePrefix: string;
  logger: Logger;
  concurrency: number;
  lockDurationMs: number;
  pageRows: number;
  maxStalledCount: number;
  faultPageDelayMs?: number | undefined;
}

/**
 * Runs report exports from the queue. A job that throws is retried by BullMQ (the export starts
 * over); after its last attempt the export is marked failed. A job whose worker died is found
 * stalled once its lock lapses and run again, here or by another worker; one that stalls more
 * than `maxStalledCount` times fails, and its export is marked failed (`reports.export_stalled`).
 */
export function startReportExportWorker(options: ReportExportWorkerOptions) {
  const { db, logger } = options;
  const worker = new Worker<ReportExportJob>(
    REPORT_EXPORT_QUEUE,
    async (job: Job<ReportExportJob>) => {
      const { exportId } = job.data;
      logger.info({ exportId, attempt: job.attemptsMade + 1 }, "report_export_started");
      const outcome = await runReportExport(db, exportId, {
        labelsFor: reportLabelsFor,
        pageRows: options.pageRows,
        onProgress: async (written, total) => {
          await job.updateProgress(total > 0 ? Math.min(100, Math.round((written / total) * 100)) : 100);
          // Fault hook for the crash test only (unset in service): slow each page so a kill lands mid-job.
          if (options.faultPageDelayMs) await delay(options.faultPageDelayMs);
        },
      });
      logger.info({ exportId, outcome }, "report_export_finished");
      return outcome;
    },
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.queuePrefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
      maxStalledCount: options.maxStalledCount,
    },
  );
  const settler = startStalledExportSettler(options);
  worker.on("failed", (job, error) => {
    if (!job) return;
    const { exportId } = job.data;
    // Final when the queue holds the job as failed: its last attempt threw, or it stalled once too
    // often (BullMQ then fails it with an unrecoverable error on its next pick-up, whatever
    // attempts remain), so counting attempts alone would leave the export "running" forever.
    job
      .getState()
      .then(async (state) => {
        const final = state === "failed";
        logger.warn({ exportId, attempt: job.attemptsMade, final, ...errorFields(error) }, "report_export_failed");
        if (final) await markReportExportFailed(db, exportId, job.deferredFailure ? stalledError : error);
      })
      .catch((cause: unknown) => logger.error({ exportId, ...errorFields(cause) }, "report_export_mark_failed"));
  });
  worker.on("error", (error) => logger.error(errorFields(error), "report_worker_error"));
  return {
    waitUntilReady: () => worker.waitUntilReady(),
    close: async () => {
      await settler.stop();
      await worker.close();
    },
  };
}

const stalledError = new AppError("reports.export_stalled", "The export's worker stopped before it finished.");

/** How long an unfinished export may sit untouched before its job is looked up: past any enqueue race. */
const IDLE_BEFORE_CHECK_MS = 60_000;

/**
 * Ends exports whose job can no longer finish them: failed in the queue without the worker's
 * "failed" handler having run (stalled past the limit, or the worker died while marking it), or
 * gone from Redis altogether. Each is marked failed with `reports.export_stalled`. Runs over
 * every idle unfinished export at start and every `lockDurationMs` (at least every 15 s).
 */
function startStalledExportSettler(options: ReportExportWorkerOptions) {
  const { db, logger } = options;
  const queue = new Queue<ReportExportJob>(REPORT_EXPORT_QUEUE, {
    connection: { url: options.redisUrl, maxRetriesPerRequest: null },
    prefix: options.queuePrefix,
  });

  async function settle(exportId: number, job: Job<ReportExportJob> | undefined) {
    const state = job ? await job.getState() : "unknown";
    if (state !== "failed" && state !== "unknown") return;
    await markReportExportFailed(db, exportId, stalledError);
    logger.warn({ exportId, jobState: state }, "report_export_stalled");
  }

  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = (async () => {
      const idle = await findIdleUnfinishedReportExports(db, new Date(Date.now() - IDLE_BEFORE_CHECK_MS));
      for (const row of idle) await settle(row.exportId, await queue.getJob(reportExportJobId(row)));
    })().catch((error: unknown) => logger.error(errorFields(error), "report_exports_settle_sweep_failed"));
  };
  sweep();
  const timer = setInterval(sweep, Math.max(IDLE_BEFORE_CHECK_MS / 4, options.lockDurationMs));
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await queue.close();
    },
  };
}

/** Deletes expired export files now and then every `intervalMs`; returns a stop function. */
export function startExpiredExportCleanup(db: Database, logger: Logger, intervalMs: number) {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = (async () => {
      let deleted = 0;
      for (let batch = await deleteExpiredReportExports(db); batch > 0; batch = await deleteExpiredReportExports(db)) {
        deleted += batch;
      }
      if (deleted > 0) logger.info({ deleted }, "report_exports_expired");
    })().catch((error: unknown) => logger.error(errorFields(error), "report_exports_cleanup_failed"));
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
