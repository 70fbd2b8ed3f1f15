import { type AlarmType, alarms, alarmTypes, type Executor } from "@rantai/db";
import { and, inArray, ne, sql } from "drizzle-orm";
import { processLogger } from "../../kernel/logger";
import { sqlEnum, sqlInteger, sqlIntegerOrNull, sqlUtcDateTime, sqlUtcDateTimeOrNull } from "../sql-values";
import type { TrackerState } from "./episodes";
import type { AlarmStatus, AlarmSubject, AlarmValues } from "./outbox";

/**
 * The alarm writes of a flush, each a single multi-row statement except alarm creation (one
 * INSERT per new alarm: rare, and its id is needed for the tracker and the notices).
 */

/** At most one open or acknowledged alarm per sensor and type: "{sensorId}:{type}", unique. */
export const liveKeyOf = (sensorId: number, type: AlarmType) => `${sensorId}:${type}`;

export interface NewAlarm {
  subject: AlarmSubject;
  type: AlarmType;
  values: AlarmValues;
  detectedLate: boolean;
}

/**
 * Inserts an alarm, live (open, holding the live key) unless its run has already ended
 * (resolved). Should a live alarm of the same sensor and type exist after all (the per-sensor
 * lock makes that a repair case, e.g. a lost tracker), the unique live key turns the INSERT into
 * an update of that row, which is then rewritten with these values: never a second live alarm.
 */
export async function insertAlarm(
  db: Executor,
  alarm: NewAlarm,
  now: Date,
): Promise<{ id: number; status: AlarmStatus }> {
  const live = alarm.values.endedAt === null;
  const status: AlarmStatus = live ? "open" : "resolved";
  const [header] = await db
    .insert(alarms)
    .values({
      equipmentId: alarm.subject.equipmentId,
      sensorId: alarm.subject.sensorId,
      facilityId: alarm.subject.facilityId,
      type: alarm.type,
      status,
      liveKey: live ? liveKeyOf(alarm.subject.sensorId, alarm.type) : null,
      ...alarm.values,
      // Server time it was raised; kept when late readings later move its start or opened time.
      detectedAt: now,
      detectedLate: alarm.detectedLate,
      resolvedAt: live ? null : now,
      createdAt: now,
      updatedAt: now,
    })
    .onDuplicateKeyUpdate({ set: { id: sql`LAST_INSERT_ID(id)`, updatedAt: sql`VALUES(updated_at)` } });
  // 1 = inserted; 2 = the duplicate-key branch updated an existing row (updated_at changed).
  if (header.affectedRows <= 1) return { id: header.insertId, status };
  processLogger().warn(
    { alarmId: header.insertId, sensorId: alarm.subject.sensorId, type: alarm.type },
    "alarm_live_key_adopted",
  );
  await updateAlarms(db, [{ alarmId: header.insertId, values: alarm.values, resolve: false }], now);
  return { id: header.insertId, status: "open" };
}

export interface AlarmRowUpdate {
  alarmId: number;
  values: AlarmValues;
  /** The run ended: a live alarm becomes resolved and gives up its live key. */
  resolve: boolean;
}

const UPDATE_CHUNK = 500;

/** Rewrites the runs of several alarms in one UPDATE … JOIN (a derived table of the new values). */
export async function updateAlarms(db: Executor, updates: readonly AlarmRowUpdate[], now: Date): Promise<void> {
  for (let start = 0; start < updates.length; start += UPDATE_CHUNK) {
    const rows = updates.slice(start, start + UPDATE_CHUNK).map(
      ({ alarmId, values, resolve }) => sql`SELECT
        CAST(${alarmId} AS UNSIGNED) AS id,
        CAST(${values.startedAt} AS DATETIME(3)) AS started_at,
        CAST(${values.openedAt} AS DATETIME(3)) AS opened_at,
        CAST(${values.lastOutOfRangeAt} AS DATETIME(3)) AS last_out_of_range_at,
        CAST(${values.endedAt} AS DATETIME(3)) AS ended_at,
        CAST(${values.durationSeconds} AS UNSIGNED) AS duration_seconds,
        CAST(${values.peakCentiC} AS SIGNED) AS peak_centi_c,
        CAST(${values.minCentiC} AS SIGNED) AS min_centi_c,
        CAST(${values.heatExposureCentiDegreeHours} AS UNSIGNED) AS exposure,
        CAST(${resolve ? 1 : 0} AS UNSIGNED) AS resolve`,
    );
    // Each assignment reads only its own column's old value, so their order does not matter.
    await db.execute(sql`
      UPDATE alarms AS a JOIN (${sql.join(rows, sql` UNION ALL `)}) AS v ON v.id = a.id
      SET a.started_at = v.started_at,
          a.opened_at = COALESCE(v.opened_at, a.opened_at),
          a.last_out_of_range_at = v.last_out_of_range_at,
          a.ended_at = v.ended_at,
          a.duration_seconds = v.duration_seconds,
          a.peak_centi_c = v.peak_centi_c,
          a.min_centi_c = v.min_centi_c,
          a.heat_exposure_centi_degree_hours = v.exposure,
          a.resolved_at = IF(v.resolve = 1 AND a.resolved_at IS NULL, ${now}, a.resolved_at),
          a.status = IF(v.resolve = 1 AND a.status IN ('open', 'acknowledged'), 'resolved', a.status),
          a.live_key = IF(v.resolve = 1, NULL, a.live_key),
          a.updated_at = ${now}`);
  }
}

/** Marks alarms no run supports any more as retracted: kept, never deleted. */
export async function retractAlarms(db: Executor, alarmIds: readonly number[], now: Date): Promise<void> {
  if (alarmIds.length === 0) return;
  await db
    .update(alarms)
    .set({ status: "retracted", liveKey: null, retractedAt: now, updatedAt: now })
    .where(and(inArray(alarms.id, [...alarmIds]), ne(alarms.status, "retracted")));
}

export interface TrackerRowWrite {
  sensorId: number;
  type: AlarmType;
  lastReadingAt: Date;
  lastValue: number;
  episode: TrackerState["episode"];
  alarmId: number | null;
}

/** Writes tracker rows (one multi-row upsert). */
export async function upsertTrackers(db: Executor, rows: readonly TrackerRowWrite[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => a.sensorId - b.sensorId || a.type.localeCompare(b.type));
  // One string, like the readings INSERT (see sql-values): one row per sensor and rule.
  const updatedAt = sqlUtcDateTime(now);
  const values = sorted.map(
    (row) =>
      `(${sqlInteger(row.sensorId)},${sqlEnum(row.type, alarmTypes)},${sqlUtcDateTime(row.lastReadingAt)},${sqlInteger(row.lastValue)},` +
      `${sqlUtcDateTimeOrNull(row.episode?.startedAt)},${sqlUtcDateTimeOrNull(row.episode?.lastOutOfRangeAt)},` +
      `${sqlIntegerOrNull(row.episode?.peak ?? null)},${sqlIntegerOrNull(row.episode?.min ?? null)},` +
      `${sqlInteger(row.episode?.exposure ?? 0)},${sqlIntegerOrNull(row.alarmId)},${updatedAt})`,
  );
  await db.execute(
    sql.raw(`
    INSERT INTO alarm_trackers (sensor_id, type, last_reading_at, last_centi_c, episode_started_at,
      last_out_of_range_at, peak_centi_c, min_centi_c, heat_exposure_centi_degree_hours, alarm_id, updated_at)
    VALUES ${values.join(",")}
    ON DUPLICATE KEY UPDATE
      last_reading_at = VALUES(last_reading_at), last_centi_c = VALUES(last_centi_c),
      episode_started_at = VALUES(episode_started_at), last_out_of_range_at = VALUES(last_out_of_range_at),
      peak_centi_c = VALUES(peak_centi_c), min_centi_c = VALUES(min_centi_c),
      heat_exposure_centi_degree_hours = VALUES(heat_exposure_centi_degree_hours),
      alarm_id = VALUES(alarm_id), updated_at = VALUES(updated_at)`),
  );
}
