import { alarms, type Executor, equipment, orgUnits, readingRollupsHourly, sensorStates, sensors } from "@rantai/db";
import { and, asc, count, eq, gt, gte, inArray, like, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { subtreePattern } from "../kernel/authorization/scope";
import { keysetPage, type SortCursor } from "../kernel/pagination";
import {
  facilityColumns,
  periodBounds,
  type ReportDefinition,
  type ReportReadOptions,
} from "../kernel/report-definition";
import { HOUR_MS } from "./rollups";

/**
 * Temperature excursions per fridge over a period: every piece of cold-chain equipment under a
 * unit's scope (a fridge with none is in the report too, with zeros), with the heat, freeze and
 * excursion alarms that started in the period — retracted ones do not count — their time out of
 * range, the extremes and the heat exposure above +8 °C.
 */

const excursionTypes = ["heat", "freeze", "excursion"] as const;

function equipmentInScope({ scope }: ReportReadOptions) {
  return and(
    like(orgUnits.path, subtreePattern(scope.path)),
    eq(orgUnits.active, true),
    ne(equipment.status, "decommissioned"),
  );
}

export const temperatureExcursionsReport: ReportDefinition = {
  right: "coldchain.read",
  usesPeriod: true,
  filters: ["period"],
  columns: [
    ...facilityColumns,
    { key: "fridge", kind: "text" },
    { key: "heatExcursions", kind: "integer" },
    { key: "freezeExcursions", kind: "integer" },
    { key: "minutesOutOfRange", kind: "integer" },
    { key: "highestC", kind: "decimal" },
    { key: "lowestC", kind: "decimal" },
    { key: "heatExposureDegreeHours", kind: "decimal" },
  ],

  async countRows(db, options) {
    const [row] = await db
      .select({ rows: count() })
      .from(equipment)
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .where(equipmentInScope(options));
    return row?.rows ?? 0;
  },

  async readPage(db, options, cursor, limit) {
    const { start, end } = periodBounds(options.parameters, options.now);
    const district = alias(orgUnits, "district");
    const inPeriod = and(
      eq(alarms.equipmentId, equipment.id),
      inArray(alarms.type, [...excursionTypes]),
      ne(alarms.status, "retracted"),
      gte(alarms.startedAt, start),
      lt(alarms.startedAt, end),
    );
    const rows = await db
      .select({
        equipmentId: equipment.id,
        district: district.name,
        facilityCode: orgUnits.code,
        facility: orgUnits.name,
        fridge: equipment.name,
        heatExcursions: sql<string>`COUNT(CASE WHEN ${alarms.type} IN ('heat', 'excursion') THEN 1 END)`,
        freezeExcursions: sql<string>`COUNT(CASE WHEN ${alarms.type} = 'freeze' THEN 1 END)`,
        secondsOutOfRange: sql<string>`COALESCE(SUM(${alarms.durationSeconds}), 0)`,
        peakCentiC: sql<number | null>`MAX(${alarms.peakCentiC})`,
        minCentiC: sql<number | null>`MIN(${alarms.minCentiC})`,
        heatExposure: sql<string>`COALESCE(SUM(${alarms.heatExposureCentiDegreeHours}), 0)`,
      })
      .from(equipment)
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .leftJoin(district, eq(district.id, orgUnits.parentId))
      .leftJoin(alarms, inPeriod)
      .where(and(equipmentInScope(options), cursor ? gt(equipment.id, Number(cursor.id)) : undefined))
      .groupBy(equipment.id, district.name, orgUnits.code, orgUnits.name, equipment.name)
      .orderBy(asc(equipment.id))
      .limit(limit + 1);
    const page = keysetPage(rows, limit, (row): SortCursor => ({ key: 0, id: row.equipmentId }));
    return {
      nextCursor: page.nextCursor,
      rows: page.items.map((row) => [
        row.district ?? "",
        row.facilityCode,
        row.facility,
        row.fridge,
        Number(row.heatExcursions),
        Number(row.freezeExcursions),
        Math.round(Number(row.secondsOutOfRange) / 60),
        row.peakCentiC === null ? null : Number(row.peakCentiC) / 100,
        row.minCentiC === null ? null : Number(row.minCentiC) / 100,
        Number(row.heatExposure) / 100,
      ]),
    };
  },
};

/** Sensors counted for uptime: active ones on equipment in service under the scope. */
function sensorsInScope(options: ReportReadOptions) {
  return and(equipmentInScope(options), eq(sensors.active, true));
}

/**
 * Sensor uptime per sensor over a period (up to now): the readings its logging interval promises
 * against those received, counted from the hourly rollups (which hold each hour's count, so a
 * year is 8,760 rows a sensor, never its raw readings), the longest run of hours without a
 * reading, and when it was last heard from. Expected readings start when the sensor came into
 * service: when it was registered, or its first reading of the period if that came earlier (a
 * device flushing its buffer on first connect reports from before its registration), so a
 * sensor installed during the period is not charged with the hours before it existed.
 */
export const sensorUptimeReport: ReportDefinition = {
  right: "coldchain.read",
  usesPeriod: true,
  filters: ["period"],
  columns: [
    ...facilityColumns,
    { key: "fridge", kind: "text" },
    { key: "deviceId", kind: "text" },
    { key: "expectedReadings", kind: "integer" },
    { key: "receivedReadings", kind: "integer" },
    { key: "uptimePct", kind: "decimal" },
    { key: "longestGapHours", kind: "integer" },
    { key: "lastSeen", kind: "datetime" },
  ],

  async countRows(db, options) {
    const [row] = await db
      .select({ rows: count() })
      .from(sensors)
      .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .where(sensorsInScope(options));
    return row?.rows ?? 0;
  },

  async readPage(db, options, cursor, limit) {
    const bounds = periodBounds(options.parameters, options.now);
    const start = bounds.start;
    const end = new Date(Math.max(start.getTime(), Math.min(bounds.end.getTime(), options.now.getTime())));
    const district = alias(orgUnits, "district");
    const rows = await db
      .select({
        sensorId: sensors.id,
        deviceId: sensors.deviceId,
        intervalSeconds: sensors.expectedIntervalSeconds,
        registeredAt: sensors.createdAt,
        district: district.name,
        facilityCode: orgUnits.code,
        facility: orgUnits.name,
        fridge: equipment.name,
        lastSeen: sensorStates.lastReadingAt,
      })
      .from(sensors)
      .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .leftJoin(district, eq(district.id, orgUnits.parentId))
      .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
      .where(and(sensorsInScope(options), cursor ? gt(sensors.id, Number(cursor.id)) : undefined))
      .orderBy(asc(sensors.id))
      .limit(limit + 1);
    const page = keysetPage(rows, limit, (row): SortCursor => ({ key: 0, id: row.sensorId }));
    const ids = page.items.map((row) => row.sensorId);
    const hours = ids.length === 0 ? [] : await hourlyCoverage(db, ids, start, end);
    const coverageOf = new Map(hours.map((row) => [row.sensorId, row]));
    return {
      nextCursor: page.nextCursor,
      rows: page.items.map((row) => {
        const coverage = coverageOf.get(row.sensorId);
        const inService = Math.min(row.registeredAt.getTime(), coverage?.first.getTime() ?? Number.POSITIVE_INFINITY);
        const from = Math.min(Math.max(start.getTime(), inService), end.getTime());
        const expected = Math.floor((end.getTime() - from) / 1000 / Math.max(1, row.intervalSeconds));
        const received = coverage?.received ?? 0;
        const longestGap = coverage
          ? Math.max(
              coverage.innerGapHours,
              Math.floor((coverage.first.getTime() - from) / HOUR_MS),
              Math.floor((end.getTime() - coverage.last.getTime()) / HOUR_MS) - 1,
              0,
            )
          : Math.floor((end.getTime() - from) / HOUR_MS);
        return [
          row.district ?? "",
          row.facilityCode,
          row.facility,
          row.fridge,
          row.deviceId,
          expected,
          received,
          expected > 0 ? Math.min(100, Math.round((received / expected) * 1000) / 10) : null,
          longestGap,
          row.lastSeen ? row.lastSeen.toISOString() : null,
        ];
      }),
    };
  },
};

/**
 * Per sensor, from the hourly rollups of the period: readings received, the first and last hour
 * with any, and the longest run of empty hours between two hours with readings.
 */
async function hourlyCoverage(db: Executor, sensorIds: readonly number[], start: Date, end: Date) {
  const buckets = db
    .select({
      sensorId: readingRollupsHourly.sensorId,
      bucketStart: readingRollupsHourly.bucketStart,
      count: readingRollupsHourly.count,
      previous:
        sql`LAG(${readingRollupsHourly.bucketStart}) OVER (PARTITION BY ${readingRollupsHourly.sensorId} ORDER BY ${readingRollupsHourly.bucketStart})`.as(
          "previous",
        ),
    })
    .from(readingRollupsHourly)
    .where(
      and(
        inArray(readingRollupsHourly.sensorId, [...sensorIds]),
        gte(readingRollupsHourly.bucketStart, start),
        lt(readingRollupsHourly.bucketStart, end),
      ),
    )
    .as("buckets");
  const rows = await db
    .select({
      sensorId: buckets.sensorId,
      received: sql<string>`SUM(${buckets.count})`,
      first: sql<string>`MIN(${buckets.bucketStart})`,
      last: sql<string>`MAX(${buckets.bucketStart})`,
      innerGapHours: sql<string | null>`MAX(TIMESTAMPDIFF(HOUR, ${buckets.previous}, ${buckets.bucketStart}) - 1)`,
    })
    .from(buckets)
    .groupBy(buckets.sensorId);
  return rows.map((row) => ({
    sensorId: row.sensorId,
    received: Number(row.received),
    first: asUtcDate(row.first),
    last: asUtcDate(row.last),
    innerGapHours: Number(row.innerGapHours ?? 0),
  }));
}

/** A DATETIME read through a raw aggregate comes back as text in UTC ("2026-12-01 10:00:00"). */
function asUtcDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(" ", "T")}Z`);
}
