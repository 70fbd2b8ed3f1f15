import { checkSilentSensors } from "@rantai/api/coldchain/alarms";
import type { Database } from "@rantai/db";
import type { AlarmMetrics } from "./alarm-metrics";
import { errorFields, type Logger } from "./logger";

/**
 * Runs the NO_DATA check every `intervalMs` (one run at a time; a failed run is logged and the
 * next one tries again). Every replica runs it; the sensor locks and the unique live key keep
 * it to one alarm per silent sensor. Device time of the latest reading vs this server's clock.
 */
export function startNoDataTimer(options: {
  db: Database;
  intervalMs: number;
  logger: Logger;
  metrics: AlarmMetrics;
  clock?: () => Date;
}): { stop(): Promise<void> } {
  const { db, intervalMs, logger, metrics } = options;
  const clock = options.clock ?? (() => new Date());
  let running: Promise<void> | null = null;
  let stopped = false;

  const run = async () => {
    try {
      const result = await checkSilentSensors(db, clock());
      metrics.noDataChecks.inc({ result: "ok" });
      if (result.opened > 0) metrics.opened.inc({ type: "no_data" }, result.opened);
      if (result.closed > 0) metrics.resolved.inc(result.closed);
      if (result.opened > 0 || result.closed > 0) logger.info("no_data_checked", result);
    } catch (error) {
      metrics.noDataChecks.inc({ result: "failed" });
      logger.error("no_data_check_failed", errorFields(error));
    }
  };
  const timer = setInterval(() => {
    if (stopped || running) return;
    running = run().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
