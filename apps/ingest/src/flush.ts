import { storeDeadLetters, storeReadings, updateSensorOnline } from "@rantai/api/coldchain/readings-store";
import type { Database } from "@rantai/db";
import { deviceIdOf, type IngestMessage, planFlush } from "./message";
import type { IngestMetrics } from "./metrics";
import type { SensorCache } from "./sensor-cache";

export interface FlushDeps {
  db: Database;
  sensors: SensorCache;
  metrics: IngestMetrics;
  /** Rows per INSERT statement (INGEST_BATCH_MAX_ROWS). */
  maxRows: number;
}

/**
 * One flush: resolve device ids, then readings, sensor states, statuses and dead letters in
 * ONE transaction. Throws on any database error; the batcher retries the same messages, and
 * since every write is idempotent (or rolled back with the transaction) a retry is safe.
 * Metrics are counted only after the commit.
 */
export function createFlush({ db, sensors, metrics, maxRows }: FlushDeps) {
  return async function flush(messages: readonly IngestMessage[]): Promise<void> {
    const stopTimer = metrics.flushSeconds.startTimer();
    const deviceIds = messages.map((message) => deviceIdOf(message.route)).filter((id) => id !== null);
    const resolved = await sensors.resolve(db, deviceIds);
    const plan = planFlush(messages, resolved);

    const outcome = await db.transaction(async (tx) => {
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
      return { inserted, duplicates, applied };
    });

    stopTimer();
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
