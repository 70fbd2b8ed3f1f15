import { type AlarmType, alarms, type Executor, readings } from "@rantai/db";
import { and, asc, eq, gte, inArray, isNotNull, ne, or, type SQL, sql } from "drizzle-orm";
import { sqlNameChunks, sqlNames } from "../sql-names";
import type { SensorAlarmContext } from "./context";
import type { AlarmReading } from "./episodes";
import type { AlarmStatus } from "./outbox";
import type { StoredAlarm } from "./reconcile";
import { type AlarmRule, type FoldAlarmType, foldAlarmTypes } from "./rules";

/**
 * The slow path's reads, batched over every sensor that needs it in a flush (three statements).
 *
 * The window of a sensor and alarm type starts at its anchor: the last stored reading before the
 * earliest reading of this flush that is back in range for the rule (in range by the hysteresis
 * too). Whatever the state before it, the anchor ends any run, so folding from it reproduces the
 * state exactly; the search walks the (sensor_id, ts) primary key backwards from the flush's
 * earliest reading and stops at the first such reading. No anchor: the sensor's whole history.
 */

export interface RecomputeWindow {
  /** Per alarm type: the anchor's ts (epoch ms), or null when there is none. */
  anchors: Map<FoldAlarmType, number | null>;
  /** The earliest anchor (null: no lower bound). */
  start: number | null;
}

const reading = sqlNameChunks(sqlNames(readings));

/** SQL true when a stored reading ends any run of the rule. */
function resetCondition(rule: AlarmRule): SQL {
  const column = rule.measure === "temperature" ? reading.columns.tempCentiC : reading.columns.batteryPct;
  const out: SQL[] = [];
  if (rule.above) {
    const limit = rule.above.value - rule.hysteresis;
    out.push(rule.above.inclusive ? sql`${column} >= ${limit}` : sql`${column} > ${limit}`);
  }
  if (rule.below) {
    const limit = rule.below.value + rule.hysteresis;
    out.push(rule.below.inclusive ? sql`${column} <= ${limit}` : sql`${column} < ${limit}`);
  }
  if (out.length === 0) return sql`${column} IS NOT NULL`;
  return sql`${column} IS NOT NULL AND NOT (${sql.join(out, sql` OR `)})`;
}

const PROBE_CHUNK = 200;

export interface AnchorProbe {
  sensorId: number;
  rule: AlarmRule;
  before: Date;
}

/** One row per probe: its index and the ts of its anchor (NULL when there is none). */
export function windowStartsSql(probes: readonly AnchorProbe[]): SQL {
  const { table, columns: c } = reading;
  const selects = probes.map(
    ({ sensorId, rule, before }, i) => sql`SELECT ${i} AS probe, (
        SELECT ${c.ts} FROM ${table}
        WHERE ${c.sensorId} = ${sensorId} AND ${c.ts} < ${before} AND ${resetCondition(rule)}
        ORDER BY ${c.ts} DESC LIMIT 1) AS anchor`,
  );
  return sql.join(selects, sql` UNION ALL `);
}

export async function findWindowStarts(
  db: Executor,
  sensors: readonly { ctx: SensorAlarmContext; earliest: Date }[],
): Promise<Map<number, RecomputeWindow>> {
  const probes = sensors.flatMap(({ ctx, earliest }) =>
    ctx.rules.fold.filter((rule) => rule.enabled).map((rule) => ({ sensorId: ctx.sensorId, rule, before: earliest })),
  );
  const windows = new Map<number, RecomputeWindow>(
    sensors.map(({ ctx }) => [ctx.sensorId, { anchors: new Map(), start: null }]),
  );
  for (let start = 0; start < probes.length; start += PROBE_CHUNK) {
    const part = probes.slice(start, start + PROBE_CHUNK);
    const result = await db.execute(windowStartsSql(part));
    for (const row of resultRows(result)) {
      const probe = part[Number(row.probe)];
      if (!probe) continue;
      windows
        .get(probe.sensorId)
        ?.anchors.set(probe.rule.type, row.anchor instanceof Date ? row.anchor.getTime() : null);
    }
  }
  for (const window of windows.values()) {
    const anchors = [...window.anchors.values()];
    window.start =
      anchors.length === 0 || anchors.some((anchor) => anchor === null)
        ? null
        : Math.min(...anchors.filter((anchor) => anchor !== null));
  }
  return windows;
}

/** The rows of a raw SELECT through mysql2 ([rows, fields]). */
function resultRows(result: unknown): Record<string, unknown>[] {
  const rows: unknown = Array.isArray(result) ? result[0] : result;
  if (!Array.isArray(rows)) throw new Error("unexpected result from mysql2: no rows");
  return rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
}

function windowFilter(
  windows: ReadonlyMap<number, RecomputeWindow>,
  sensorColumn: typeof readings.sensorId | typeof alarms.sensorId,
  bound: (sensorId: number, from: Date) => SQL | undefined,
): SQL | undefined {
  const parts = [...windows].map(([sensorId, window]) =>
    window.start === null ? eq(sensorColumn, sensorId) : bound(sensorId, new Date(window.start)),
  );
  return or(...parts);
}

/** Every stored reading of each window, in ts order (one statement). */
export async function findWindowReadings(
  db: Executor,
  windows: ReadonlyMap<number, RecomputeWindow>,
): Promise<Map<number, AlarmReading[]>> {
  const bySensor = new Map<number, AlarmReading[]>();
  if (windows.size === 0) return bySensor;
  const rows = await db
    .select({
      sensorId: readings.sensorId,
      ts: readings.ts,
      tempCentiC: readings.tempCentiC,
      batteryPct: readings.batteryPct,
    })
    .from(readings)
    .where(
      windowFilter(windows, readings.sensorId, (sensorId, from) =>
        and(eq(readings.sensorId, sensorId), gte(readings.ts, from)),
      ),
    )
    .orderBy(asc(readings.sensorId), asc(readings.ts));
  for (const row of rows) {
    const list = bySensor.get(row.sensorId) ?? [];
    list.push({ ts: row.ts.getTime(), tempCentiC: row.tempCentiC, batteryPct: row.batteryPct });
    bySensor.set(row.sensorId, list);
  }
  return bySensor;
}

export type StoredTypedAlarm = StoredAlarm & { type: AlarmType; status: AlarmStatus; detectedLate: boolean };

/** Non-retracted alarms of the fold types starting in each window, and any live ones (one statement). */
export async function findStoredAlarms(
  db: Executor,
  windows: ReadonlyMap<number, RecomputeWindow>,
): Promise<Map<number, StoredTypedAlarm[]>> {
  const bySensor = new Map<number, StoredTypedAlarm[]>();
  if (windows.size === 0) return bySensor;
  const rows = await db
    .select({
      id: alarms.id,
      sensorId: alarms.sensorId,
      type: alarms.type,
      status: alarms.status,
      startedAt: alarms.startedAt,
      openedAt: alarms.openedAt,
      detectedAt: alarms.detectedAt,
      detectedLate: alarms.detectedLate,
      lastOutOfRangeAt: alarms.lastOutOfRangeAt,
      endedAt: alarms.endedAt,
      peakCentiC: alarms.peakCentiC,
      minCentiC: alarms.minCentiC,
      heatExposureCentiDegreeHours: alarms.heatExposureCentiDegreeHours,
      durationSeconds: alarms.durationSeconds,
    })
    .from(alarms)
    .where(
      and(
        inArray(alarms.type, [...foldAlarmTypes]),
        ne(alarms.status, "retracted"),
        windowFilter(windows, alarms.sensorId, (sensorId, from) =>
          and(eq(alarms.sensorId, sensorId), or(gte(alarms.startedAt, from), isNotNull(alarms.liveKey))),
        ),
      ),
    );
  for (const row of rows) {
    const list = bySensor.get(row.sensorId) ?? [];
    list.push({
      id: row.id,
      type: row.type,
      status: row.status,
      startedAt: row.startedAt.getTime(),
      openedAt: row.openedAt?.getTime() ?? null,
      detectedAt: row.detectedAt?.getTime() ?? null,
      detectedLate: row.detectedLate,
      lastOutOfRangeAt: row.lastOutOfRangeAt?.getTime() ?? null,
      endedAt: row.endedAt?.getTime() ?? null,
      live: row.status === "open" || row.status === "acknowledged",
      peakCentiC: row.peakCentiC,
      minCentiC: row.minCentiC,
      heatExposureCentiDegreeHours: row.heatExposureCentiDegreeHours,
      durationSeconds: row.durationSeconds,
    });
    bySensor.set(row.sensorId, list);
  }
  return bySensor;
}
