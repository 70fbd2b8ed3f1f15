import { type ConnectionOptions, type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";

/**
 * The report-export queue (BullMQ on Redis). A job carries only the export's id; its job id is
 * derived from it, so queueing the same export twice adds one job. A job whose worker died is
 * found stalled when its lock lapses and handed to another worker (or the restarted one); a job
 * that throws is retried with back-off before the export is marked failed. Queues live under a
 * prefix (`JOB_QUEUE_PREFIX`), so installations sharing a Redis server never take each other's jobs.
 */
export const REPORT_EXPORT_QUEUE = "report-exports";
export const DEFAULT_JOB_QUEUE_PREFIX = "rantai";

export interface ReportExportJob {
  exportId: number;
}

export const reportExportJobOptions: JobsOptions = {
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * The job id of an export: its id and its request key, since ids repeat when a database is
 * recreated, and BullMQ ignores a job whose id it still remembers (finished jobs are kept a day).
 */
export function reportExportJobId(job: ReportExportJobKey): string {
  return `report-export-${job.exportId}-${job.requestKey}`;
}

export interface ReportExportJobKey {
  exportId: number;
  requestKey: string;
}

const queues = new WeakMap<Redis, Map<string, Queue<ReportExportJob>>>();

/** The queue on an existing Redis connection (the web process's), made once per connection and prefix. */
export function reportExportQueueOn(redis: Redis, prefix = DEFAULT_JOB_QUEUE_PREFIX): Queue<ReportExportJob> {
  const byPrefix = queues.get(redis) ?? new Map<string, Queue<ReportExportJob>>();
  queues.set(redis, byPrefix);
  const existing = byPrefix.get(prefix);
  if (existing) return existing;
  const queue = new Queue<ReportExportJob>(REPORT_EXPORT_QUEUE, {
    // BullMQ's connection type names its own ioredis copy; the client is the same library.
    connection: redis as unknown as ConnectionOptions,
    prefix,
    defaultJobOptions: reportExportJobOptions,
  });
  byPrefix.set(prefix, queue);
  return queue;
}

/** Queues an export (a no-op while a job for it exists). */
export async function enqueueReportExport(redis: Redis, prefix: string | undefined, job: ReportExportJobKey) {
  await reportExportQueueOn(redis, prefix).add("export", { exportId: job.exportId }, { jobId: reportExportJobId(job) });
}
