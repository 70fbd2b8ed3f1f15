import { type AlarmType, alarms, alarmTrackers, alarmTypes, type Executor } from "@rantai/db";
import { and, inArray, ne, type SQL, sql } from "drizzle-orm";
import { processLogger } from "../../kernel/logger";
import { quoteIdentifier, sqlNameChunks, sqlNames } from "../sql-names";
import { sqlEnum, sqlInteger, sqlIntegerOrNull, sqlUtcDateTime, sqlUtcDateTimeOrNull } from "../sql-values";
import type { TrackerState } from "./episodes";
import type { AlarmStatus, AlarmSubject, AlarmValues } from "./outbox";

/**
 * The alarm writes of a flush, each a single multi-row statement except alarm creation (one
 * INSERT per new alarm: rare, and its id is needed for the tracker and the notices).
 */

const alarmNames = sqlNames(alarms);
const trackerNames = sqlNames(alarmTrackers);

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
    .onDuplicateKeyUpdate({
      set: {
        id: sql.raw(`LAST_INSERT_ID(${alarmNames.columns.id})`),
        updatedAt: sql.raw(`VALUES(${alarmNames.columns.updatedAt})`),
      },
    });
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

/*
 * The alarms UPDATE … JOIN, built once from the schema's names (see sql-names): `a` is the
 * alarm, `v` the derived table of new values, whose columns carry the names of the alarm columns
 * they set, plus `resolve` (1: the run ended).
 */
const column = sqlNameChunks(alarmNames).columns;
const A = sql.raw("a");
const V = sql.raw("v");
const RESOLVE = sql.raw(quoteIdentifier("resolve"));
const UPDATE_ALARMS_HEAD = sql.raw(`UPDATE ${alarmNames.table} AS a JOIN (`);

/** One alarm's new values as a row of the derived table. */
function alarmValuesRow({ alarmId, values, resolve }: AlarmRowUpdate): SQL {
  return sql`SELECT
        CAST(${alarmId} AS UNSIGNED) AS ${column.id},
        CAST(${values.startedAt} AS DATETIME(3)) AS ${column.startedAt},
        CAST(${values.openedAt} AS DATETIME(3)) AS ${column.openedAt},
        CAST(${values.lastOutOfRangeAt} AS DATETIME(3)) AS ${column.lastOutOfRangeAt},
        CAST(${values.endedAt} AS DATETIME(3)) AS ${column.endedAt},
        CAST(${values.durationSeconds} AS UNSIGNED) AS ${column.durationSeconds},
        CAST(${values.peakCentiC} AS SIGNED) AS ${column.peakCentiC},
        CAST(${values.minCentiC} AS SIGNED) AS ${column.minCentiC},
        CAST(${values.heatExposureCentiDegreeHours} AS UNSIGNED) AS ${column.heatExposureCentiDegreeHours},
        CAST(${resolve ? 1 : 0} AS UNSIGNED) AS ${RESOLVE}`;
}

/** Rewrites the runs of up to UPDATE_CHUNK alarms in one statement. */
export function updateAlarmsSql(updates: readonly AlarmRowUpdate[], now: Date): SQL {
  // Each assignment reads only its own column's old value, so their order does not matter.
  return sql`
      ${UPDATE_ALARMS_HEAD}${sql.join(updates.map(alarmValuesRow), sql` UNION ALL `)}) AS ${V} ON ${V}.${column.id} = ${A}.${column.id}
      SET ${A}.${column.startedAt} = ${V}.${column.startedAt},
          ${A}.${column.openedAt} = COALESCE(${V}.${column.openedAt}, ${A}.${column.openedAt}),
          ${A}.${column.lastOutOfRangeAt} = ${V}.${column.lastOutOfRangeAt},
          ${A}.${column.endedAt} = ${V}.${column.endedAt},
          ${A}.${column.durationSeconds} = ${V}.${column.durationSeconds},
          ${A}.${column.peakCentiC} = ${V}.${column.peakCentiC},
          ${A}.${column.minCentiC} = ${V}.${column.minCentiC},
          ${A}.${column.heatExposureCentiDegreeHours} = ${V}.${column.heatExposureCentiDegreeHours},
          ${A}.${column.resolvedAt} = IF(${V}.${RESOLVE} = 1 AND ${A}.${column.resolvedAt} IS NULL, ${now}, ${A}.${column.resolvedAt}),
          ${A}.${column.status} = IF(${V}.${RESOLVE} = 1 AND ${A}.${column.status} IN ('open', 'acknowledged'), 'resolved', ${A}.${column.status}),
          ${A}.${column.liveKey} = IF(${V}.${RESOLVE} = 1, NULL, ${A}.${column.liveKey}),
          ${A}.${column.updatedAt} = ${now}`;
}

/** Rewrites the runs of several alarms in one UPDATE … JOIN (a derived table of the new values). */
export async function updateAlarms(db: Executor, updates: readonly AlarmRowUpdate[], now: Date): Promise<void> {
  for (let start = 0; start < updates.length; start += UPDATE_CHUNK)
    await db.execute(updateAlarmsSql(updates.slice(start, start + UPDATE_CHUNK), now));
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

/* The tracker upsert around its VALUES, built once. */
const tracker = trackerNames.columns;
const UPSERT_TRACKERS_HEAD = `
    INSERT INTO ${trackerNames.table} (${tracker.sensorId}, ${tracker.type}, ${tracker.lastReadingAt}, ${tracker.lastCentiC}, ${tracker.episodeStartedAt},
      ${tracker.lastOutOfRangeAt}, ${tracker.peakCentiC}, ${tracker.minCentiC}, ${tracker.heatExposureCentiDegreeHours}, ${tracker.alarmId}, ${tracker.updatedAt})
    VALUES `;
const UPSERT_TRACKERS_TAIL = `
    ON DUPLICATE KEY UPDATE
      ${tracker.lastReadingAt} = VALUES(${tracker.lastReadingAt}), ${tracker.lastCentiC} = VALUES(${tracker.lastCentiC}),
      ${tracker.episodeStartedAt} = VALUES(${tracker.episodeStartedAt}), ${tracker.lastOutOfRangeAt} = VALUES(${tracker.lastOutOfRangeAt}),
      ${tracker.peakCentiC} = VALUES(${tracker.peakCentiC}), ${tracker.minCentiC} = VALUES(${tracker.minCentiC}),
      ${tracker.heatExposureCentiDegreeHours} = VALUES(${tracker.heatExposureCentiDegreeHours}),
      ${tracker.alarmId} = VALUES(${tracker.alarmId}), ${tracker.updatedAt} = VALUES(${tracker.updatedAt})`;

/** The multi-row tracker upsert for rows in the column order above. */
export function upsertTrackersSql(rows: readonly string[]): string {
  return UPSERT_TRACKERS_HEAD + rows.join(",") + UPSERT_TRACKERS_TAIL;
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
  await db.execute(sql.raw(upsertTrackersSql(values)));
}
