import type { FlushAlarmOutcome } from "@rantai/core/coldchain/alarms";
import { Counter, Histogram, type Registry } from "prom-client";

/** Alarm metrics, registered in the ingest instance's registry next to the ingest metrics. */
export function createAlarmMetrics(registry: Registry) {
  const registers = [registry];
  return {
    opened: new Counter({
      name: "rantai_ingest_alarms_opened_total",
      help: "Alarms created by ingest (flush or NO_DATA check), by type",
      labelNames: ["type"] as const,
      registers,
    }),
    openedLate: new Counter({
      name: "rantai_ingest_alarms_opened_late_total",
      help: "Alarms created more than 15 min after the device time they fired at (buffers flushed late), by type",
      labelNames: ["type"] as const,
      registers,
    }),
    resolved: new Counter({
      name: "rantai_ingest_alarms_resolved_total",
      help: "Alarms resolved by ingest (the run ended, or data came back)",
      registers,
    }),
    retracted: new Counter({
      name: "rantai_ingest_alarms_retracted_total",
      help: "Alarms retracted because late readings no longer support them",
      registers,
    }),
    slowPath: new Counter({
      name: "rantai_ingest_alarm_slow_path_total",
      help: "Sensors whose alarms were recomputed from stored readings (late, out-of-order or duplicate readings)",
      registers,
    }),
    openDelay: new Histogram({
      name: "rantai_ingest_alarm_open_delay_seconds",
      help: "Commit time minus the device time at which the alarm fired (device → broker → ingest → alarm)",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400],
      registers,
    }),
    earlyWarnings: new Counter({
      name: "rantai_ingest_early_warnings_total",
      help: "Early warnings opened and ended by ingest's flushes",
      labelNames: ["event"] as const,
      registers,
    }),
    noDataChecks: new Counter({
      name: "rantai_ingest_no_data_checks_total",
      help: "NO_DATA checks run, by result (ok, failed)",
      labelNames: ["result"] as const,
      registers,
    }),
  };
}
export type AlarmMetrics = ReturnType<typeof createAlarmMetrics>;

/** Counts a committed flush's alarm outcome. */
export function countAlarmOutcome(metrics: AlarmMetrics, outcome: FlushAlarmOutcome, committedAt: number): void {
  for (const opened of outcome.opened) {
    metrics.opened.inc({ type: opened.type });
    if (opened.detectedLate) metrics.openedLate.inc({ type: opened.type });
    if (opened.alarmAt) metrics.openDelay.observe(Math.max(0, (committedAt - opened.alarmAt.getTime()) / 1000));
  }
  metrics.resolved.inc(outcome.resolved);
  metrics.retracted.inc(outcome.retracted);
  metrics.slowPath.inc(outcome.slowPathSensors);
  metrics.earlyWarnings.inc({ event: "opened" }, outcome.earlyWarnings.opened);
  metrics.earlyWarnings.inc({ event: "ended" }, outcome.earlyWarnings.ended);
}
