import { type Executor, earlyWarnings, equipment, orgUnits, sensorStates, sensors } from "@rantai/db";
import { and, asc, eq, gt, inArray, like, ne } from "drizzle-orm";
import { z } from "zod";
import { subtreePattern } from "../kernel/authorization/scope";
import { keysetPage } from "../kernel/pagination";
import { centiToCelsius, classifyTemperature, isStale } from "./temperature";

export const ZListFridgesSchema = z.strictObject({
  /** A facility, district or province in the caller's scope; defaults to the caller's own unit. */
  orgUnitId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(100),
  /** The last equipment id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListFridges = z.infer<typeof ZListFridgesSchema>;

/** The active sensors of some equipment with their latest state, oldest sensor first. */
async function findActiveSensorStates(db: Executor, equipmentIds: readonly number[]) {
  if (equipmentIds.length === 0) return [];
  return db
    .select({
      equipmentId: sensors.equipmentId,
      sensorId: sensors.id,
      deviceId: sensors.deviceId,
      expectedIntervalSeconds: sensors.expectedIntervalSeconds,
      lastReadingAt: sensorStates.lastReadingAt,
      lastTempCentiC: sensorStates.lastTempCentiC,
      lastBatteryPct: sensorStates.lastBatteryPct,
      online: sensorStates.online,
    })
    .from(sensors)
    .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
    .where(and(inArray(sensors.equipmentId, [...equipmentIds]), eq(sensors.active, true)))
    .orderBy(asc(sensors.id));
}
type SensorStateRow = Awaited<ReturnType<typeof findActiveSensorStates>>[number];

/** The open early warnings of some equipment (at most one per sensor; the newest shown per fridge). */
async function findOpenEarlyWarnings(db: Executor, equipmentIds: readonly number[]) {
  if (equipmentIds.length === 0) return new Map<number, typeof earlyWarnings.$inferSelect>();
  const rows = await db
    .select()
    .from(earlyWarnings)
    .where(and(inArray(earlyWarnings.equipmentId, [...equipmentIds]), eq(earlyWarnings.status, "open")))
    .orderBy(asc(earlyWarnings.id));
  return new Map(rows.map((row) => [row.equipmentId, row]));
}

/**
 * Cold-chain equipment under a scope path with each one's latest reading. The latest reading
 * comes from `sensor_states`, kept by ingest, so this never scans the readings table.
 *
 * The page is taken over equipment rows alone, then their sensors are read: equipment with two
 * active sensors (mid-swap) is still one fridge, so the extra row that tells whether another
 * page follows is always another fridge.
 */
export async function findFridges(
  db: Executor,
  scopePath: string,
  page: { limit: number; cursor?: number | undefined },
  now = new Date(),
) {
  const rows = await db
    .select({
      equipmentId: equipment.id,
      name: equipment.name,
      kind: equipment.kind,
      model: equipment.model,
      status: equipment.status,
      facilityId: orgUnits.id,
      facilityName: orgUnits.name,
    })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(
      and(
        like(orgUnits.path, subtreePattern(scopePath)),
        ne(equipment.status, "decommissioned"),
        gt(equipment.id, page.cursor ?? 0),
      ),
    )
    .orderBy(asc(equipment.id))
    .limit(page.limit + 1);
  const { items, nextCursor } = keysetPage(rows, page.limit, (row) => row.equipmentId);

  const shown = new Map<number, SensorStateRow>();
  for (const sensor of await findActiveSensorStates(
    db,
    items.map((item) => item.equipmentId),
  )) {
    // Equipment with two active sensors (during a sensor swap) shows the freshest one.
    const seen = shown.get(sensor.equipmentId);
    if (!seen || (sensor.lastReadingAt && (!seen.lastReadingAt || sensor.lastReadingAt > seen.lastReadingAt))) {
      shown.set(sensor.equipmentId, sensor);
    }
  }

  const warnings = await findOpenEarlyWarnings(
    db,
    items.map((item) => item.equipmentId),
  );
  const fridges = items.map((row) => {
    const sensor = shown.get(row.equipmentId);
    const warning = warnings.get(row.equipmentId);
    const lastReadingAt = sensor?.lastReadingAt ?? null;
    const lastTempCentiC = sensor?.lastTempCentiC ?? null;
    return {
      equipmentId: row.equipmentId,
      name: row.name,
      kind: row.kind,
      model: row.model,
      status: row.status,
      facilityId: row.facilityId,
      facilityName: row.facilityName,
      sensorId: sensor?.sensorId ?? null,
      deviceId: sensor?.deviceId ?? null,
      online: sensor?.online ?? null,
      latest:
        lastReadingAt !== null && lastTempCentiC !== null
          ? { tempC: centiToCelsius(lastTempCentiC), ts: lastReadingAt, batteryPct: sensor?.lastBatteryPct ?? null }
          : null,
      temperatureState: classifyTemperature(lastTempCentiC),
      stale: isStale(lastReadingAt, sensor?.expectedIntervalSeconds ?? 600, now),
      /** The fridge heads out of range: which limit, and when its readings say it will cross it. */
      earlyWarning: warning
        ? {
            id: warning.id,
            side: warning.side,
            limitC: centiToCelsius(warning.limitCentiC),
            openedAt: warning.openedAt,
            predictedBreachAt: warning.predictedBreachAt,
          }
        : null,
    };
  });
  return { items: fridges, nextCursor };
}
