import { inArray } from "drizzle-orm";
import type { Database } from "../client";
import { readingRollupsDaily, readingRollupsHourly, readings, sensorStates } from "../schema";
import { BulkWriter, columnSql, insertHead, utcLiteral } from "./bulk-sql";
import type { SeededSensor } from "./coldchain";
import { chunk } from "./concurrency";
import { aggregateHours, buildProfile, generateReadings, READING_INTERVAL_MS } from "./history";
import { hashString } from "./random";

/**
 * The national dataset's temperatures, written in bulk: for the "full" sensors raw readings for
 * `rawDays` and hourly and daily rollups for `rollupDays`; for every other sensor raw readings
 * and rollups for `restDays`; the latest state of each. Rollups of the raw window equal the raw
 * readings (both come from the same generator); older hours come from the generator without
 * building each reading. Sensors are written a group at a time, their state last, so a rerun
 * skips the groups already done.
 */

export interface NationalReadingsPlan {
  end: Date;
  /** Sensors with the full year: the first `fullSensors` in `orderForFullYear`'s order. */
  fullSensors: number;
  /** Areas (org codes) whose sensors come first for the full year: the demo users' districts. */
  fullYearAreas: readonly string[];
  rawDays: number;
  rollupDays: number;
  restDays: number;
  seed: number;
}

export interface NationalReadingsResult {
  readings: number;
  hourly: number;
  daily: number;
  sensorsWritten: number;
  fullSensors: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SENSORS_PER_GROUP = 50;

const readingsHead = insertHead(readings, ["sensorId", "ts", "tempCentiC", "batteryPct", "seq", "receivedAt"]);
const readingsTail = ` ON DUPLICATE KEY UPDATE ${columnSql(readings, "sensorId")} = ${columnSql(readings, "sensorId")}`;
const rollupKeys = ["sensorId", "bucketStart", "minCentiC", "maxCentiC", "sumCentiC", "count"] as const;
const rollupTail = (table: typeof readingRollupsHourly | typeof readingRollupsDaily) =>
  ` ON DUPLICATE KEY UPDATE ${["minCentiC", "maxCentiC", "sumCentiC", "count"]
    .map((key) => {
      const name = columnSql<typeof readingRollupsHourly>(
        table as typeof readingRollupsHourly,
        key as (typeof rollupKeys)[number],
      );
      return `${name} = VALUES(${name})`;
    })
    .join(", ")}`;

/**
 * Which sensors get the full year: first those of `fullYearAreas` (so a district user signing in
 * finds year-long charts in their own district), then the rest in a seeded random order that
 * spreads them over the country.
 */
export function orderForFullYear(
  sensorList: readonly SeededSensor[],
  plan: Pick<NationalReadingsPlan, "seed" | "fullYearAreas">,
): SeededSensor[] {
  const inFullYearArea = (sensor: SeededSensor) =>
    plan.fullYearAreas.some((area) => sensor.orgCode === area || sensor.orgCode.startsWith(`${area}.`));
  const rank = (sensor: SeededSensor) => (inFullYearArea(sensor) ? 0 : 1);
  return [...sensorList].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      hashString(`n${plan.seed}:full:${a.deviceId}`) - hashString(`n${plan.seed}:full:${b.deviceId}`) ||
      a.id - b.id,
  );
}

export async function seedNationalReadings(
  db: Database,
  sensorList: readonly SeededSensor[],
  plan: NationalReadingsPlan,
  log: (line: string) => void,
): Promise<NationalReadingsResult> {
  const ordered = orderForFullYear(sensorList, plan);
  const full = new Set(ordered.slice(0, plan.fullSensors).map((sensor) => sensor.id));
  const lastSlot = Math.floor(plan.end.getTime() / READING_INTERVAL_MS) * READING_INTERVAL_MS;

  const writers = {
    readings: new BulkWriter(db, readingsHead, readingsTail),
    hourly: new BulkWriter(db, insertHead(readingRollupsHourly, rollupKeys), rollupTail(readingRollupsHourly)),
    daily: new BulkWriter(db, insertHead(readingRollupsDaily, rollupKeys), rollupTail(readingRollupsDaily)),
  };
  const result: NationalReadingsResult = {
    readings: 0,
    hourly: 0,
    daily: 0,
    sensorsWritten: 0,
    fullSensors: full.size,
  };
  let nextLog = Date.now() + 15_000;
  for (const group of chunk(ordered, SENSORS_PER_GROUP)) {
    const done = await db
      .select({ sensorId: sensorStates.sensorId, lastReadingAt: sensorStates.lastReadingAt })
      .from(sensorStates)
      .where(
        inArray(
          sensorStates.sensorId,
          group.map((sensor) => sensor.id),
        ),
      );
    const latest = new Map(done.map((row) => [row.sensorId, row.lastReadingAt.getTime()]));
    const states: string[] = [];
    for (const sensor of group) {
      const last = latest.get(sensor.id);
      if (last !== undefined && last >= lastSlot) continue;
      // A rerun later continues from the UTC day of the sensor's latest reading: that day's
      // rollups are recomputed whole, earlier ones stay as they are.
      const resumeFrom = last === undefined ? Number.NEGATIVE_INFINITY : Math.floor(last / DAY_MS) * DAY_MS;
      const isFull = full.has(sensor.id);
      const rawDays = isFull ? plan.rawDays : plan.restDays;
      // No planted episodes: every reading depends on its sensor and time alone, so reruns agree.
      const profile = buildProfile(sensor.deviceId, sensor.modelKey, plan.end, {});
      // Raw readings from a whole hour on, so that each hour they touch is complete.
      const rawFrom = Math.max(resumeFrom, Math.floor((lastSlot - rawDays * DAY_MS) / HOUR_MS) * HOUR_MS + HOUR_MS);
      const raw = generateReadings(profile, new Date(lastSlot), (lastSlot - rawFrom) / READING_INTERVAL_MS + 1);
      for (const reading of raw) {
        await writers.readings.add(
          `(${sensor.id},${utcLiteral(reading.ts.getTime())},${reading.tempCentiC},${reading.batteryPct},${reading.seq},${utcLiteral(reading.receivedAt.getTime())})`,
        );
      }
      // Rollups of the full sensors from the start of the UTC day a year ago; others' as their readings.
      const hourFrom = isFull
        ? Math.max(resumeFrom, Math.floor((lastSlot - plan.rollupDays * DAY_MS) / DAY_MS) * DAY_MS)
        : rawFrom;
      const days = new Map<number, { min: number; max: number; sum: number; count: number }>();
      for (const hour of aggregateHours(profile, hourFrom, lastSlot)) {
        await writers.hourly.add(
          `(${sensor.id},${utcLiteral(hour.hourStart)},${hour.min},${hour.max},${hour.sum},${hour.count})`,
        );
        const dayStart = Math.floor(hour.hourStart / DAY_MS) * DAY_MS;
        const day = days.get(dayStart);
        if (day) {
          day.min = Math.min(day.min, hour.min);
          day.max = Math.max(day.max, hour.max);
          day.sum += hour.sum;
          day.count += hour.count;
        } else days.set(dayStart, { min: hour.min, max: hour.max, sum: hour.sum, count: hour.count });
      }
      for (const [dayStart, day] of days) {
        await writers.daily.add(`(${sensor.id},${utcLiteral(dayStart)},${day.min},${day.max},${day.sum},${day.count})`);
      }
      const newest = raw.at(-1);
      if (newest) {
        states.push(
          `(${sensor.id},${utcLiteral(newest.ts.getTime())},${newest.tempCentiC},${newest.batteryPct},${utcLiteral(newest.receivedAt.getTime())})`,
        );
      }
      result.sensorsWritten += 1;
    }
    // The group's readings and rollups are in before its states: a state marks a sensor done.
    await Promise.all([writers.readings.flush(), writers.hourly.flush(), writers.daily.flush()]);
    if (states.length > 0) {
      const state = (key: keyof typeof sensorStates._.columns & string) => columnSql(sensorStates, key);
      const stateWriter = new BulkWriter(
        db,
        insertHead(sensorStates, ["sensorId", "lastReadingAt", "lastTempCentiC", "lastBatteryPct", "lastReceivedAt"]),
        ` ON DUPLICATE KEY UPDATE ${state("lastTempCentiC")} = IF(VALUES(${state("lastReadingAt")}) > ${state("lastReadingAt")}, VALUES(${state("lastTempCentiC")}), ${state("lastTempCentiC")}), ${state("lastReadingAt")} = GREATEST(${state("lastReadingAt")}, VALUES(${state("lastReadingAt")}))`,
      );
      for (const row of states) await stateWriter.add(row);
      await stateWriter.flush();
    }
    if (Date.now() >= nextLog) {
      log(`temperatures: ${result.sensorsWritten} of ${ordered.length} sensors`);
      nextLog = Date.now() + 15_000;
    }
  }
  result.readings = writers.readings.rowsWritten;
  result.hourly = writers.hourly.rowsWritten;
  result.daily = writers.daily.rowsWritten;
  return result;
}
