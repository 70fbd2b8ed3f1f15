import { type Executor, readings } from "@rantai/db";
import { and, desc, eq, lte } from "drizzle-orm";
import { centiToCelsius } from "./temperature";

/**
 * How far before a fridge's latest reading its earlier reading is taken, for the trend the phone
 * shows (rising, falling, steady): long enough that two readings of a 10-minute logger differ by
 * more than its noise, short enough that a door left open shows within the hour.
 */
export const TREND_LOOKBACK_MS = 30 * 60 * 1000;

/**
 * Each fridge's reading from at least `TREND_LOOKBACK_MS` before its latest one, by sensor.
 * One primary-key range read per fridge (sensor, ts descending, one row); a facility has a
 * handful of fridges, so this never scans the readings table.
 */
export async function findEarlierReadings(
  db: Executor,
  latest: readonly { sensorId: number | null; latest: { ts: Date } | null }[],
) {
  const found = await Promise.all(
    latest.map(async (fridge) => {
      if (fridge.sensorId === null || fridge.latest === null) return null;
      const [row] = await db
        .select({ ts: readings.ts, tempCentiC: readings.tempCentiC })
        .from(readings)
        .where(
          and(
            eq(readings.sensorId, fridge.sensorId),
            lte(readings.ts, new Date(fridge.latest.ts.getTime() - TREND_LOOKBACK_MS)),
          ),
        )
        .orderBy(desc(readings.ts))
        .limit(1);
      return row ? ([fridge.sensorId, { ts: row.ts, tempC: centiToCelsius(row.tempCentiC) }] as const) : null;
    }),
  );
  return new Map(found.filter((entry) => entry !== null));
}
