import {
  type AlarmNotice,
  type Clock,
  createSensorStaticsCache,
  evaluateAlarms,
  prepareAlarmEvaluation,
  priorLatestReading,
  systemClock,
} from "@rantai/core/coldchain/alarms";
import type { TEarlyWarningConfig } from "@rantai/core/coldchain/early-warning";
import { storeDeadLetters, storeReadings, updateSensorOnline } from "@rantai/core/coldchain/readings-store";
import { updateRollups } from "@rantai/core/coldchain/rollups";
import type { Database } from "@rantai/db";
import { type AlarmMetrics, countAlarmOutcome } from "./alarm-metrics";
import { type ConfirmableMessage, findStoredKeys, tallyConfirmations } from "./confirmation";
import { deviceIdOf, planFlush } from "./message";
import type { IngestMetrics } from "./metrics";
import type { SensorCache } from "./sensor-cache";

export interface FlushDeps {
  db: Database;
  sensors: SensorCache;
  metrics: IngestMetrics;
  alarmMetrics: AlarmMetrics;
  /** Rows per INSERT statement (INGEST_BATCH_MAX_ROWS). */
  maxRows: number;
  /** Server time for alarm evaluation (tests move it). */
  clock?: Clock;
  /** Told the committed alarm changes of each flush (the live inbox's notices). */
  onAlarmNotices?: ((notices: readonly AlarmNotice[]) => void) | undefined;
  /** The early warning's settings (INGEST_EARLY_WARNING); the defaults without them. */
  earlyWarning?: TEarlyWarningConfig | undefined;
}

/**
 * One flush: resolve device ids, then in ONE transaction (READ COMMITTED):
 *   1. lock the flush's sensors (SELECT … FOR UPDATE in id order: the per-sensor mutex every
 *      replica and the NO_DATA check take) and read their alarm trackers and latest reading;
 *   2. readings, sensor states, statuses and dead letters;
 *   3. the hourly and daily rollups of the hours and days touched;
 *   4. alarms: fold the new readings into the trackers, or recompute from stored readings when
 *      some are late or duplicates; alarm rows and their notices (outbox); then early warnings
 *      for the sensors whose newest reading comes near a limit.
 * Throws on any database error; the batcher retries the same messages, and since every write
 * is idempotent (or rolled back with the transaction) a retry is safe. Metrics are counted
 * only after the commit.
 */
export function createFlush({
  db,
  sensors,
  metrics,
  alarmMetrics,
  maxRows,
  clock = systemClock,
  onAlarmNotices,
  earlyWarning,
}: FlushDeps) {
  // Equipment, facility and alarm rules per sensor, for 60 s (a rule change applies within it).
  const statics = createSensorStaticsCache(60_000, clock);
  return async function flush(messages: readonly ConfirmableMessage[]): Promise<void> {
    const stopTimer = metrics.flushSeconds.startTimer();
    const deviceIds = messages.map((message) => deviceIdOf(message.route)).filter((id) => id !== null);
    const resolved = await sensors.resolve(db, deviceIds);
    const plan = planFlush(messages, resolved);
    const readingSensorIds = [...new Set(plan.readingRows.map((row) => row.sensorId))];
    const confirming = messages.some((message) => message.confirmation !== undefined);

    const outcome = await db.transaction(
      async (tx) => {
        const now = clock.now();
        const prepared = await prepareAlarmEvaluation(tx, {
          readingSensorIds,
          lockSensorIds: plan.statuses.map((status) => status.sensorId),
          statics,
          earlyWarning,
        });
        // Only for devices asking for a storage confirmation: which of their readings were there.
        const storedBefore = confirming ? await findStoredKeys(tx, messages, resolved) : null;
        let inserted = 0;
        let duplicates = 0;
        for (let start = 0; start < plan.readingRows.length; start += maxRows) {
          const stored = await storeReadings(tx, plan.readingRows.slice(start, start + maxRows));
          inserted += stored.inserted;
          duplicates += stored.duplicates;
        }
        let applied = 0;
        for (const status of plan.statuses) if (await updateSensorOnline(tx, status)) applied += 1;
        await storeDeadLetters(tx, plan.deadLetters);
        await updateRollups(tx, plan.readingRows, (sensorId) => priorLatestReading(prepared, sensorId));
        const alarms = await evaluateAlarms(tx, prepared, plan.readingRows, now);
        return { inserted, duplicates, applied, alarms, storedBefore };
      },
      // Fresh reads after the sensor locks, and no gap locks on the readings the rollups read.
      { isolationLevel: "read committed" },
    );

    stopTimer();
    // Committed: the settle step publishes these just before each message's PUBACK.
    if (outcome.storedBefore !== null)
      for (const [pending, tally] of tallyConfirmations(messages, resolved, outcome.storedBefore, plan.failed))
        pending.tally = tally;
    onAlarmNotices?.(outcome.alarms.notices);
    countAlarmOutcome(alarmMetrics, outcome.alarms, clock.now().getTime());
    metrics.batchRows.observe(plan.readingRows.length);
    for (const [channel, n] of plan.messages) metrics.messages.inc({ channel }, n);
    metrics.readingsReceived.inc(plan.received);
    metrics.readingsStored.inc(outcome.inserted);
    metrics.readingsDuplicate.inc(outcome.duplicates);
    for (const [code, n] of plan.rejected) metrics.readingsRejected.inc({ code }, n);
    metrics.deadLetters.inc(plan.deadLetters.length);
    metrics.statuses.inc({ result: "applied" }, outcome.applied);
    metrics.statuses.inc({ result: "skipped_no_state" }, plan.statuses.length - outcome.applied);
    metrics.statuses.inc({ result: "cleared" }, plan.statusCleared);
  };
}
