import { type AlarmNotice, type Clock, checkSilentSensors, systemClock } from "@rantai/core/coldchain/alarms";
import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import type { Database } from "@rantai/db";
import type { AlarmMetrics } from "../alarm-metrics";
import { type PeriodicTask, startPeriodic } from "./periodic";

export type NoDataCheck = PeriodicTask;

/**
 * Runs the NO_DATA check every `intervalMs` (INGEST_NO_DATA_CHECK_SECONDS; one round at a time,
 * a failed round is logged and the next one tries again). Every replica runs it; the sensor
 * locks and the unique live key keep it to one alarm per silent sensor. Device time of the
 * latest reading vs `clock` (the system clock unless a test moves its own).
 */
export function startNoDataCheck(options: {
  db: Database;
  intervalMs: number;
  logger: Logger;
  metrics: AlarmMetrics;
  clock?: Clock;
  /** Told the alarm changes of each committed round (the live inbox's notices). */
  onAlarmNotices?: ((notices: readonly AlarmNotice[]) => void) | undefined;
}): NoDataCheck {
  const { db, intervalMs, logger, metrics } = options;
  const clock = options.clock ?? systemClock;
  const round = async () => {
    try {
      const { notices, ...result } = await checkSilentSensors(db, clock);
      options.onAlarmNotices?.(notices);
      metrics.noDataChecks.inc({ result: "ok" });
      if (result.opened > 0) metrics.opened.inc({ type: "no_data" }, result.opened);
      if (result.closed > 0) metrics.resolved.inc(result.closed);
      if (result.opened > 0 || result.closed > 0) logger.info(result, "no_data_checked");
    } catch (error) {
      metrics.noDataChecks.inc({ result: "failed" });
      logger.error(errorFields(error), "no_data_check_failed");
    }
  };
  return startPeriodic(round, { intervalMs, runAtStart: false });
}
