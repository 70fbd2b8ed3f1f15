import { setTimeout as delay } from "node:timers/promises";
import type { Logger } from "@rantai/core/kernel/logger";
import { errorFields } from "@rantai/core/kernel/logger";
import {
  deleteExpiredReportExports,
  markReportExportFailed,
  REPORT_EXPORT_QUEUE,
  type ReportExportJob,
  runReportExport,
} from "@rantai/core/reports";
import type { Database } from "@rantai/db";
import { type Job, Worker } from "bullmq";
import { reportLabelsFor } from "./labels";

export interface ReportExportWorkerOptions {
  db: Database;
  redisUrl: string;
  queuePrefix: string;
  logger: Logger;
  concurrency: number;
  lockDurationMs: number;
  pageRows: number;
  faultPageDelayMs?: number | undefined;
}

/**
 * Runs report exports from the queue. A job that throws is retried by BullMQ (the export starts
 * over); after its last attempt the export is marked failed. A job whose worker died is found
 * stalled once its lock lapses and run again, here or by another worker.
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
      maxStalledCount: 2,
    },
  );
  worker.on("failed", (job, error) => {
    if (!job) return;
    const { exportId } = job.data;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ exportId, attempt: job.attemptsMade, final, ...errorFields(error) }, "report_export_failed");
    if (final) {
      markReportExportFailed(db, exportId, error).catch((cause: unknown) =>
        logger.error({ exportId, ...errorFields(cause) }, "report_export_mark_failed"),
      );
    }
  });
  worker.on("error", (error) => logger.error(errorFields(error), "report_worker_error"));
  return worker;
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
