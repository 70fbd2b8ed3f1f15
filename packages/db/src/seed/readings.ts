import { and, count, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { readings } from "../schema";
import type { SeededSensor } from "./coldchain";
import { chunk } from "./concurrency";
import {
  buildProfile,
  type GeneratedReading,
  generateReadings,
  READING_INTERVAL_MS,
  READINGS_PER_DAY,
} from "./history";

const INSERT_BATCH_ROWS = 2_000;

/**
 * Writes `historyDays` of readings ending at `end` for every sensor straight into the tables,
 * then the latest state and the hourly rollups: no alarm evaluation. `npm run db:seed` skips
 * this and replays the same readings through ingest's flush and the alarm engine instead
 * (core's `coldchain/cli/seed-readings.ts`). Readings go in with a no-op upsert on (sensor, ts), never INSERT IGNORE,
 * so a rerun changes nothing and a bad row still fails loudly.
 */
export async function seedReadings(
  db: Database,
  sensorList: readonly SeededSensor[],
  end: Date,
  historyDays: number,
): Promise<void> {
  if (sensorList.length === 0) return;
  const perSensor = Math.max(1, Math.round(historyDays * READINGS_PER_DAY));
  const first = new Date(end.getTime() - (perSensor - 1) * READING_INTERVAL_MS);
  const sensorIds = sensorList.map((sensor) => sensor.id);

  // A sensor whose window is already complete is skipped: generating it again would be no-ops.
  const present = await db
    .select({ sensorId: readings.sensorId, n: count() })
    .from(readings)
    .where(and(inArray(readings.sensorId, sensorIds), gte(readings.ts, first), lte(readings.ts, end)))
    .groupBy(readings.sensorId);
  const stored = new Map(present.map((row) => [row.sensorId, row.n]));

  let pending: (typeof readings.$inferInsert)[] = [];
  const flush = async () => {
    for (const part of chunk(pending, INSERT_BATCH_ROWS)) {
      await db
        .insert(readings)
        .values(part)
        .onDuplicateKeyUpdate({ set: { sensorId: sql`sensor_id` } });
    }
    pending = [];
  };
  const latest: { sensorId: number; reading: GeneratedReading }[] = [];
  for (const sensor of sensorList) {
    const profile = buildProfile(sensor.deviceId, sensor.modelKey, end);
    const generated = generateReadings(profile, end, perSensor);
    const last = generated.at(-1);
    if (last) latest.push({ sensorId: sensor.id, reading: last });
    // Silent episodes leave gaps, so "complete" is every generated reading, not every slot.
    if ((stored.get(sensor.id) ?? 0) >= generated.length) continue;
    for (const reading of generated) pending.push({ sensorId: sensor.id, ...reading });
    if (pending.length >= INSERT_BATCH_ROWS * 5) await flush();
  }
  await flush();
  await upsertSensorStates(db, latest);
  await rollUpHours(db, sensorIds, first, end);
  await rollUpDays(db, sensorIds, first, end);
}

/**
 * Latest state per sensor, guarded so it never moves backwards (ingest may already be ahead).
 * Raw SQL because MySQL applies ON DUPLICATE KEY assignments left to right and every guard must
 * read the old `last_reading_at`, which is therefore assigned last; Drizzle would order the
 * assignments by table column instead.
 */
async function upsertSensorStates(db: Database, latest: { sensorId: number; reading: GeneratedReading }[]) {
  for (const part of chunk(latest, 500)) {
    const values = sql.join(
      part.map(
        ({ sensorId, reading }) =>
          sql`(${sensorId}, ${reading.ts}, ${reading.tempCentiC}, ${reading.batteryPct}, ${reading.receivedAt}, 1, ${reading.receivedAt})`,
      ),
      sql`, `,
    );
    const newer = sql.raw("VALUES(last_reading_at) > last_reading_at");
    await db.execute(sql`
      INSERT INTO sensor_states
        (sensor_id, last_reading_at, last_temp_centi_c, last_battery_pct, last_received_at, online, online_changed_at)
      VALUES ${values}
      ON DUPLICATE KEY UPDATE
        last_temp_centi_c = IF(${newer}, VALUES(last_temp_centi_c), last_temp_centi_c),
        last_battery_pct = IF(${newer}, VALUES(last_battery_pct), last_battery_pct),
        last_received_at = IF(${newer}, VALUES(last_received_at), last_received_at),
        online_changed_at = IF(${newer} AND NOT (online <=> 1), VALUES(online_changed_at), online_changed_at),
        online = IF(${newer}, 1, online),
        last_reading_at = GREATEST(last_reading_at, VALUES(last_reading_at))`);
  }
}

/**
 * Hourly min/max/sum/count recomputed from the stored readings of every hour the window
 * touches, so a partial first or last hour is completed by the next run, never double counted.
 */
async function rollUpHours(db: Database, sensorIds: readonly number[], first: Date, end: Date) {
  const from = new Date(Math.floor(first.getTime() / 3_600_000) * 3_600_000);
  const to = new Date(Math.floor(end.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  await forSensorChunks(sensorIds, (ids) =>
    db.execute(sql`
      INSERT INTO reading_rollups_hourly (sensor_id, bucket_start, min_centi_c, max_centi_c, sum_centi_c, \`count\`)
      SELECT sensor_id, DATE_FORMAT(ts, '%Y-%m-%d %H:00:00') AS bucket,
             MIN(temp_centi_c), MAX(temp_centi_c), SUM(temp_centi_c), COUNT(*)
      FROM readings
      WHERE sensor_id IN (${ids}) AND ts >= ${from} AND ts < ${to}
      GROUP BY sensor_id, bucket
      ON DUPLICATE KEY UPDATE
        min_centi_c = VALUES(min_centi_c), max_centi_c = VALUES(max_centi_c),
        sum_centi_c = VALUES(sum_centi_c), \`count\` = VALUES(\`count\`)`),
  );
}

/** Runs a statement per 200 sensors, their ids as an SQL list. */
async function forSensorChunks(sensorIds: readonly number[], statement: (ids: SQL) => Promise<unknown>) {
  for (const part of chunk(sensorIds, 200)) {
    await statement(
      sql.join(
        part.map((id) => sql`${id}`),
        sql`, `,
      ),
    );
  }
}

/** The daily rollups of the days the history touches, from the hourly ones (as ingest keeps them). */
async function rollUpDays(db: Database, sensorIds: readonly number[], first: Date, end: Date) {
  const from = new Date(Math.floor(first.getTime() / 86_400_000) * 86_400_000);
  const to = new Date(Math.floor(end.getTime() / 86_400_000) * 86_400_000 + 86_400_000);
  await forSensorChunks(sensorIds, (ids) =>
    db.execute(sql`
      INSERT INTO reading_rollups_daily (sensor_id, bucket_start, min_centi_c, max_centi_c, sum_centi_c, \`count\`)
      SELECT sensor_id, DATE_FORMAT(bucket_start, '%Y-%m-%d 00:00:00') AS bucket,
             MIN(min_centi_c), MAX(max_centi_c), SUM(sum_centi_c), SUM(\`count\`)
      FROM reading_rollups_hourly
      WHERE sensor_id IN (${ids}) AND bucket_start >= ${from} AND bucket_start < ${to}
      GROUP BY sensor_id, bucket
      ON DUPLICATE KEY UPDATE
        min_centi_c = VALUES(min_centi_c), max_centi_c = VALUES(max_centi_c),
        sum_centi_c = VALUES(sum_centi_c), \`count\` = VALUES(\`count\`)`),
  );
}
