import { type Executor, readingRollupsDaily, readingRollupsHourly, readings } from "@rantai/db";
import { type SQL, sql } from "drizzle-orm";
import { quoteIdentifier, sqlNames } from "./sql-names";
import { sqlInteger, sqlUtcDateTime } from "./sql-values";

/**
 * Hourly and daily min/max/sum/count per sensor, kept by ingest in the flush transaction that
 * stores the readings. Buckets are UTC hours and UTC days (a WIB day spans two UTC days; the
 * console converts).
 *
 * Exactly once without recounting: ingest holds the sensor's lock and knows its latest stored
 * reading from before the flush (`sensor_states.last_reading_at`, moved in the same transaction
 * as every reading insert). A reading after it cannot be stored yet, so it is new: it is ADDED to
 * its buckets (LEAST/GREATEST/+), a few rows per flush whatever the bucket already holds. A
 * reading at or before it may be a redelivery or a late reading: its buckets are RECOMPUTED from
 * the raw readings (hours) and the hourly rows (days). A retried flush rolled back entirely, and
 * a redelivered message is always "at or before", so nothing is counted twice.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface BucketRange {
  sensorId: number;
  /** First bucket start (inclusive). */
  from: Date;
  /** End of the last bucket (exclusive). */
  to: Date;
}

export interface RollupReading {
  sensorId: number;
  ts: Date;
  tempCentiC: number;
}

export interface BucketAggregate {
  sensorId: number;
  bucketStart: Date;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/**
 * The buckets some readings fall in, per sensor, with neighbouring buckets merged into one range
 * (a 12-hour buffer is one range of 12 hours, not 12 ranges). Sorted by sensor, then time.
 */
export function touchedBuckets(rows: readonly { sensorId: number; ts: Date }[], bucketMs: number): BucketRange[] {
  const buckets = new Map<number, Set<number>>();
  for (const row of rows) {
    const set = buckets.get(row.sensorId) ?? new Set<number>();
    set.add(Math.floor(row.ts.getTime() / bucketMs) * bucketMs);
    buckets.set(row.sensorId, set);
  }
  const ranges: BucketRange[] = [];
  for (const sensorId of [...buckets.keys()].sort((a, b) => a - b)) {
    const starts = [...(buckets.get(sensorId) ?? [])].sort((a, b) => a - b);
    let from: number | null = null;
    let to = 0;
    for (const start of starts) {
      if (from !== null && start === to) {
        to = start + bucketMs;
        continue;
      }
      if (from !== null) ranges.push({ sensorId, from: new Date(from), to: new Date(to) });
      from = start;
      to = start + bucketMs;
    }
    if (from !== null) ranges.push({ sensorId, from: new Date(from), to: new Date(to) });
  }
  return ranges;
}

/** Min/max/sum/count of readings per sensor and bucket. */
export function aggregateBuckets(rows: readonly RollupReading[], bucketMs: number): BucketAggregate[] {
  // Keyed by number (sensor, then bucket start): no string key per reading.
  const bySensor = new Map<number, Map<number, BucketAggregate>>();
  for (const row of rows) {
    const start = Math.floor(row.ts.getTime() / bucketMs) * bucketMs;
    let buckets = bySensor.get(row.sensorId);
    if (!buckets) {
      buckets = new Map();
      bySensor.set(row.sensorId, buckets);
    }
    const bucket = buckets.get(start);
    const t = row.tempCentiC;
    if (bucket) {
      if (t < bucket.min) bucket.min = t;
      if (t > bucket.max) bucket.max = t;
      bucket.sum += t;
      bucket.count += 1;
    } else {
      buckets.set(start, { sensorId: row.sensorId, bucketStart: new Date(start), min: t, max: t, sum: t, count: 1 });
    }
  }
  const out: BucketAggregate[] = [];
  for (const sensorId of [...bySensor.keys()].sort((a, b) => a - b)) {
    const buckets = bySensor.get(sensorId) as Map<number, BucketAggregate>;
    for (const start of [...buckets.keys()].sort((a, b) => a - b)) out.push(buckets.get(start) as BucketAggregate);
  }
  return out;
}

/**
 * Splits a flush's readings by the sensor's latest reading before the flush: newer ones (each
 * (sensor, ts) once, the first as stored) are new; the others may already have been stored.
 */
export function splitByPrior(
  rows: readonly RollupReading[],
  priorLatest: (sensorId: number) => Date | null,
): { fresh: RollupReading[]; maybeStored: RollupReading[] } {
  const fresh: RollupReading[] = [];
  const maybeStored: RollupReading[] = [];
  const seen = new Map<number, Set<number>>();
  let lastSensorId = Number.NaN;
  let priorMs = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    if (row.sensorId !== lastSensorId) {
      lastSensorId = row.sensorId;
      priorMs = priorLatest(row.sensorId)?.getTime() ?? Number.NEGATIVE_INFINITY;
    }
    const ts = row.ts.getTime();
    if (ts <= priorMs) {
      maybeStored.push(row);
      continue;
    }
    let seenTs = seen.get(row.sensorId);
    if (!seenTs) {
      seenTs = new Set();
      seen.set(row.sensorId, seenTs);
    }
    if (seenTs.has(ts)) continue;
    seenTs.add(ts);
    fresh.push(row);
  }
  return { fresh, maybeStored };
}

const ROWS_PER_STATEMENT = 1000;
/**
 * Ranges per recompute statement. Also keeps each `sensor_id IN (…)` list well under MariaDB's
 * in_predicate_conversion_threshold (1000), past which the list becomes a subquery joined on
 * sensor_id alone — reading every stored reading of each sensor instead of the range.
 */
const RANGES_PER_STATEMENT = 500;

type RollupTable = typeof readingRollupsHourly | typeof readingRollupsDaily;

/** Where a recomputation reads its buckets from: the raw readings (hours) or the hours (days). */
interface RollupSource {
  table: string;
  sensorId: string;
  /** The time column the range filter bounds. */
  time: string;
  /** The bucket start of a source row. */
  bucketOf: string;
  /** MIN, MAX, SUM and COUNT of the source rows, in the rollup's column order. */
  aggregates: string;
}

/** `bucket`: the recomputations' own alias for the bucket start they group by. */
const BUCKET = quoteIdentifier("bucket");

/**
 * One rollup table's statements, built once from the schema's names (see sql-names): the
 * multi-row addition around its VALUES, and the recomputation around its range filter.
 */
function rollupStatements(table: RollupTable, source: RollupSource) {
  const { table: name, columns: c } = sqlNames(table);
  const into = `INSERT INTO ${name} (${c.sensorId}, ${c.bucketStart}, ${c.minCentiC}, ${c.maxCentiC}, ${c.sumCentiC}, ${c.count})`;
  return {
    addHead: `${into}
      VALUES `,
    addTail: `
      ON DUPLICATE KEY UPDATE
        ${c.minCentiC} = LEAST(${c.minCentiC}, VALUES(${c.minCentiC})),
        ${c.maxCentiC} = GREATEST(${c.maxCentiC}, VALUES(${c.maxCentiC})),
        ${c.sumCentiC} = ${c.sumCentiC} + VALUES(${c.sumCentiC}),
        ${c.count} = ${c.count} + VALUES(${c.count})`,
    recomputeHead: sql.raw(`
      ${into}
      SELECT ${source.sensorId}, ${source.bucketOf} AS ${BUCKET}, ${source.aggregates}
      FROM ${source.table}
      WHERE `),
    recomputeTail: sql.raw(`
      GROUP BY ${source.sensorId}, ${BUCKET}
      ON DUPLICATE KEY UPDATE
        ${c.minCentiC} = VALUES(${c.minCentiC}), ${c.maxCentiC} = VALUES(${c.maxCentiC}),
        ${c.sumCentiC} = VALUES(${c.sumCentiC}), ${c.count} = VALUES(${c.count})`),
    source: { sensorId: sql.raw(source.sensorId), time: sql.raw(source.time) },
  };
}
type RollupStatements = ReturnType<typeof rollupStatements>;

const readingNames = sqlNames(readings);
const hourlyNames = sqlNames(readingRollupsHourly);
const reading = readingNames.columns;
const hourly = hourlyNames.columns;
const HOURLY = rollupStatements(readingRollupsHourly, {
  table: readingNames.table,
  sensorId: reading.sensorId,
  time: reading.ts,
  bucketOf: `DATE_FORMAT(${reading.ts}, '%Y-%m-%d %H:00:00')`,
  aggregates: `MIN(${reading.tempCentiC}), MAX(${reading.tempCentiC}), SUM(${reading.tempCentiC}), COUNT(*)`,
});
const DAILY = rollupStatements(readingRollupsDaily, {
  table: hourlyNames.table,
  sensorId: hourly.sensorId,
  time: hourly.bucketStart,
  bucketOf: `DATE_FORMAT(${hourly.bucketStart}, '%Y-%m-%d 00:00:00')`,
  aggregates: `MIN(${hourly.minCentiC}), MAX(${hourly.maxCentiC}), SUM(${hourly.sumCentiC}), SUM(${hourly.count})`,
});

export type RollupPeriod = "hourly" | "daily";
const statementsOf: Record<RollupPeriod, RollupStatements> = { hourly: HOURLY, daily: DAILY };

/** The multi-row addition to a rollup for rows `(sensor_id, bucket_start, min, max, sum, count)`. */
export function addToBucketsSql(period: RollupPeriod, rows: readonly string[]): string {
  const statements = statementsOf[period];
  return statements.addHead + rows.join(",") + statements.addTail;
}

async function addToBuckets(db: Executor, period: RollupPeriod, rows: BucketAggregate[]) {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    // One string, like the readings INSERT: integers and times only (see sql-values).
    const values = rows
      .slice(start, start + ROWS_PER_STATEMENT)
      .map(
        (row) =>
          `(${sqlInteger(row.sensorId)},${sqlUtcDateTime(row.bucketStart)},${sqlInteger(row.min)},${sqlInteger(row.max)},${sqlInteger(row.sum)},${sqlInteger(row.count)})`,
      );
    await db.execute(sql.raw(addToBucketsSql(period, values)));
  }
}

/** `(time in window AND sensor IN (…))` per distinct window (live traffic: one window). */
function rangeFilter(ranges: readonly BucketRange[], source: RollupStatements["source"]): SQL {
  const byWindow = new Map<string, { from: Date; to: Date; sensorIds: number[] }>();
  for (const range of ranges) {
    const key = `${range.from.getTime()}:${range.to.getTime()}`;
    const window = byWindow.get(key) ?? { from: range.from, to: range.to, sensorIds: [] };
    window.sensorIds.push(range.sensorId);
    byWindow.set(key, window);
  }
  return sql.join(
    [...byWindow.values()].map(
      ({ from, to, sensorIds }) =>
        sql`(${source.time} >= ${from} AND ${source.time} < ${to} AND ${source.sensorId} IN (${sql.join(
          sensorIds.map((id) => sql`${id}`),
          sql`, `,
        )}))`,
    ),
    sql` OR `,
  );
}

/** The recomputation of a rollup's buckets in some ranges (INSERT … SELECT … ON DUPLICATE KEY UPDATE). */
export function recomputeRollupsSql(period: RollupPeriod, ranges: readonly BucketRange[]): SQL {
  const statements = statementsOf[period];
  return sql`${statements.recomputeHead}${rangeFilter(ranges, statements.source)}${statements.recomputeTail}`;
}

/** Rewrites hourly buckets from the raw readings. */
export async function recomputeHourlyRollups(db: Executor, ranges: readonly BucketRange[]): Promise<void> {
  for (let start = 0; start < ranges.length; start += RANGES_PER_STATEMENT)
    await db.execute(recomputeRollupsSql("hourly", ranges.slice(start, start + RANGES_PER_STATEMENT)));
}

/** Rewrites daily buckets from the hourly rows. */
export async function recomputeDailyRollups(db: Executor, ranges: readonly BucketRange[]): Promise<void> {
  for (let start = 0; start < ranges.length; start += RANGES_PER_STATEMENT)
    await db.execute(recomputeRollupsSql("daily", ranges.slice(start, start + RANGES_PER_STATEMENT)));
}

/**
 * Brings the rollups up to date with a flush's readings, after they are stored, in the same
 * transaction and under the sensors' locks (see above). Usually two statements: new readings
 * added to their hour and their day. Late or redelivered readings add two recomputations.
 */
export async function updateRollups(
  db: Executor,
  rows: readonly RollupReading[],
  priorLatest: (sensorId: number) => Date | null,
): Promise<{ addedHours: number; recomputedHourRanges: number }> {
  const { fresh, maybeStored } = splitByPrior(rows, priorLatest);
  const hours = aggregateBuckets(fresh, HOUR_MS);
  await addToBuckets(db, "hourly", hours);
  await addToBuckets(db, "daily", aggregateBuckets(fresh, DAY_MS));
  // Recomputed last: they overwrite whatever the additions did to the same buckets.
  const recomputeHours = touchedBuckets(maybeStored, HOUR_MS);
  await recomputeHourlyRollups(db, recomputeHours);
  await recomputeDailyRollups(db, touchedBuckets(maybeStored, DAY_MS));
  return { addedHours: hours.length, recomputedHourRanges: recomputeHours.length };
}
