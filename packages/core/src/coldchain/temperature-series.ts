import {
  alarms,
  type Executor,
  equipment,
  orgUnits,
  readingRollupsDaily,
  readingRollupsHourly,
  readings,
  sensors,
} from "@rantai/db";
import { and, asc, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { ZIdSchema } from "../kernel/schemas";
import { provinceOfPath, provinceUnits, timeZoneOfProvince } from "../orgs/province";
import { DAY_MS, HOUR_MS } from "./rollups";
import { centiToCelsius, storageRangeCentiC } from "./temperature";

/**
 * One fridge's temperatures over a window, at a resolution the window allows: raw readings for a
 * day or two, hourly min–avg–max for up to two months, daily beyond. The server chooses, so a year
 * is ~366 points read from the daily rollups' primary key, never a scan of the raw readings.
 */

/** The longest window a chart may ask for: a year and a little, so "1 year" ending now fits. */
export const MAX_SERIES_SPAN_MS = 400 * DAY_MS;
/** Windows up to this long are drawn from raw readings (when they are few enough). */
export const RAW_MAX_SPAN_MS = 48 * HOUR_MS;
/** Windows up to this long are drawn from hourly rollups; longer ones from daily rollups. */
export const HOURLY_MAX_SPAN_MS = 62 * DAY_MS;
/** Raw points a window may return; a sensor logging every minute over 48 h falls back to hourly. */
export const MAX_RAW_POINTS = 2_000;

export type SeriesResolution = "raw" | "hourly" | "daily";

export const ZTemperatureSeriesSchema = z
  .strictObject({
    equipmentId: ZIdSchema,
    /** Start of the window (inclusive). */
    from: z.date(),
    /** End of the window (exclusive). */
    to: z.date(),
    /**
     * Raw points the client wants at most (a phone's small chart): a window with more is drawn
     * from the hourly rollups instead, as one over `MAX_RAW_POINTS` is.
     */
    maxRawPoints: z.number().int().min(24).max(MAX_RAW_POINTS).optional(),
  })
  .refine((input) => input.to.getTime() > input.from.getTime(), { error: "to must be after from", path: ["to"] })
  .refine((input) => input.to.getTime() - input.from.getTime() <= MAX_SERIES_SPAN_MS, {
    error: "the window may span at most 400 days",
    path: ["from"],
  });
export type TTemperatureSeries = z.infer<typeof ZTemperatureSeriesSchema>;

/** The resolution a window is drawn at before counting raw points (see `findTemperatureSeries`). */
export function chooseResolution(spanMs: number): SeriesResolution {
  if (spanMs <= RAW_MAX_SPAN_MS) return "raw";
  if (spanMs <= HOURLY_MAX_SPAN_MS) return "hourly";
  return "daily";
}

/** A fridge the actor may read (`coldchain.read`), with its facility's clock; FORBIDDEN (audited) otherwise. */
export async function requireFridgeInScope(request: DomainContext<Executor>, equipmentId: number, action: string) {
  const [row] = await request.db
    .select({
      id: equipment.id,
      name: equipment.name,
      facilityId: orgUnits.id,
      facilityName: orgUnits.name,
      path: orgUnits.path,
      provinceCode: provinceUnits.code,
    })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .leftJoin(provinceUnits, provinceOfPath(orgUnits.path))
    .where(eq(equipment.id, equipmentId))
    .limit(1);
  const entity = { entityType: "equipment", entityId: equipmentId };
  return authorize(request, "coldchain.read", action, entity, row, (found) => [found.path]);
}
export type FridgeInScope = Awaited<ReturnType<typeof requireFridgeInScope>>;

/** Columns of the series: times in epoch ms, temperatures in °C; min and max are null for raw points. */
export interface TemperatureColumns {
  times: number[];
  avgC: number[];
  minC: number[] | null;
  maxC: number[] | null;
}

async function findRawColumns(db: Executor, sensorIds: number[], from: Date, to: Date, maxPoints: number) {
  const rows = await db
    .select({ ts: readings.ts, tempCentiC: readings.tempCentiC })
    .from(readings)
    .where(and(inArray(readings.sensorId, sensorIds), gte(readings.ts, from), lt(readings.ts, to)))
    .orderBy(asc(readings.ts))
    .limit(maxPoints + 1);
  if (rows.length > maxPoints) return null;
  return {
    times: rows.map((row) => row.ts.getTime()),
    avgC: rows.map((row) => centiToCelsius(row.tempCentiC)),
    minC: null,
    maxC: null,
  } satisfies TemperatureColumns;
}

/**
 * Rollup buckets of the window, the fridge's sensors merged per bucket (a swapped sensor's
 * buckets join its successor's). Reads the rollup table's primary key (sensor, bucket) by range.
 */
async function findRollupColumns(
  db: Executor,
  period: "hourly" | "daily",
  sensorIds: number[],
  from: Date,
  to: Date,
): Promise<TemperatureColumns> {
  const table = period === "hourly" ? readingRollupsHourly : readingRollupsDaily;
  const bucketMs = period === "hourly" ? HOUR_MS : DAY_MS;
  // A bucket that began before `from` but reaches into the window belongs to it.
  const firstBucket = new Date(Math.floor(from.getTime() / bucketMs) * bucketMs);
  const rows = await db
    .select({
      bucketStart: table.bucketStart,
      minCentiC: sql<number>`MIN(${table.minCentiC})`.mapWith(Number),
      maxCentiC: sql<number>`MAX(${table.maxCentiC})`.mapWith(Number),
      sumCentiC: sql<number>`SUM(${table.sumCentiC})`.mapWith(Number),
      count: sql<number>`SUM(${table.count})`.mapWith(Number),
    })
    .from(table)
    .where(and(inArray(table.sensorId, sensorIds), gte(table.bucketStart, firstBucket), lt(table.bucketStart, to)))
    .groupBy(table.bucketStart)
    .orderBy(asc(table.bucketStart));
  const filled = rows.filter((row) => row.count > 0);
  return {
    times: filled.map((row) => row.bucketStart.getTime()),
    avgC: filled.map((row) => Math.round(row.sumCentiC / row.count) / 100),
    minC: filled.map((row) => centiToCelsius(row.minCentiC)),
    maxC: filled.map((row) => centiToCelsius(row.maxCentiC)),
  };
}

/** The fridge's alarms that overlap the window (live ones reach to now), oldest first; at most 200. */
async function findAlarmsInWindow(db: Executor, sensorIds: number[], from: Date, to: Date) {
  return db
    .select({
      id: alarms.id,
      type: alarms.type,
      status: alarms.status,
      startedAt: alarms.startedAt,
      endedAt: alarms.endedAt,
    })
    .from(alarms)
    .where(
      and(
        inArray(alarms.sensorId, sensorIds),
        lt(alarms.startedAt, to),
        or(isNull(alarms.endedAt), gte(alarms.endedAt, from)),
      ),
    )
    .orderBy(asc(alarms.startedAt))
    .limit(200);
}

/**
 * The series of one fridge (every sensor it ever had) over [from, to): the resolution chosen by
 * the window's span, bounded in points (≤ 2,000 raw, ≤ 1,488 hourly, ≤ 400 daily), with the
 * storage band and the alarms that overlap the window, on the facility's clock. `maxRawPoints`
 * lowers the raw bound for a client that draws few points.
 */
export async function findTemperatureSeries(
  db: Executor,
  fridge: FridgeInScope,
  window: { from: Date; to: Date; maxRawPoints?: number | undefined },
) {
  const { from, to } = window;
  const maxRawPoints = Math.min(window.maxRawPoints ?? MAX_RAW_POINTS, MAX_RAW_POINTS);
  const sensorRows = await db.select({ id: sensors.id }).from(sensors).where(eq(sensors.equipmentId, fridge.id));
  const sensorIds = sensorRows.map((row) => row.id);
  let resolution = chooseResolution(to.getTime() - from.getTime());
  let columns: TemperatureColumns = { times: [], avgC: [], minC: null, maxC: null };
  if (sensorIds.length > 0) {
    const raw = resolution === "raw" ? await findRawColumns(db, sensorIds, from, to, maxRawPoints) : null;
    if (resolution === "raw" && raw === null) resolution = "hourly";
    columns = raw ?? (await findRollupColumns(db, resolution === "daily" ? "daily" : "hourly", sensorIds, from, to));
  }
  const zone = timeZoneOfProvince(fridge.provinceCode);
  return {
    equipmentId: fridge.id,
    name: fridge.name,
    facilityId: fridge.facilityId,
    timeZone: zone.timeZone,
    timeZoneAbbreviation: zone.abbreviation,
    from,
    to,
    resolution,
    band: { minC: centiToCelsius(storageRangeCentiC.min), maxC: centiToCelsius(storageRangeCentiC.max) },
    ...columns,
    alarms: sensorIds.length === 0 ? [] : await findAlarmsInWindow(db, sensorIds, from, to),
  };
}
export type TemperatureSeries = Awaited<ReturnType<typeof findTemperatureSeries>>;
