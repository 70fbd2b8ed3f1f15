import { type Executor, equipment, orgUnits, sensorStates, sensors } from "@rantai/db";
import { and, asc, eq, gt, like, ne } from "drizzle-orm";
import { z } from "zod";
import { subtreePattern } from "../orgs/scope";
import { centiToCelsius, classifyTemperature, isStale } from "./temperature";

export const ZListFridgesSchema = z.strictObject({
  /** A facility, district or province in the caller's scope; defaults to the caller's own unit. */
  orgUnitId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(100),
  /** The last equipment id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListFridges = z.infer<typeof ZListFridgesSchema>;

/**
 * Cold-chain equipment under a scope path with each one's latest reading. The latest reading
 * comes from `sensor_states`, kept by ingest, so this never scans the readings table.
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
      sensorId: sensors.id,
      deviceId: sensors.deviceId,
      expectedIntervalSeconds: sensors.expectedIntervalSeconds,
      lastReadingAt: sensorStates.lastReadingAt,
      lastTempCentiC: sensorStates.lastTempCentiC,
      lastBatteryPct: sensorStates.lastBatteryPct,
      online: sensorStates.online,
    })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .leftJoin(sensors, and(eq(sensors.equipmentId, equipment.id), eq(sensors.active, true)))
    .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
    .where(
      and(
        like(orgUnits.path, subtreePattern(scopePath)),
        ne(equipment.status, "decommissioned"),
        gt(equipment.id, page.cursor ?? 0),
      ),
    )
    .orderBy(asc(equipment.id), asc(sensors.id))
    .limit(page.limit + 1);

  const byEquipment = new Map<number, (typeof rows)[number]>();
  for (const row of rows) {
    // Equipment with two active sensors (during a sensor swap) shows the freshest one.
    const seen = byEquipment.get(row.equipmentId);
    if (!seen || (row.lastReadingAt && (!seen.lastReadingAt || row.lastReadingAt > seen.lastReadingAt))) {
      byEquipment.set(row.equipmentId, row);
    }
  }
  const fridges = [...byEquipment.values()].slice(0, page.limit).map((row) => ({
    equipmentId: row.equipmentId,
    name: row.name,
    kind: row.kind,
    model: row.model,
    status: row.status,
    facilityId: row.facilityId,
    facilityName: row.facilityName,
    sensorId: row.sensorId,
    deviceId: row.deviceId,
    online: row.online,
    latest:
      row.lastReadingAt !== null && row.lastTempCentiC !== null
        ? { tempC: centiToCelsius(row.lastTempCentiC), ts: row.lastReadingAt, batteryPct: row.lastBatteryPct }
        : null,
    temperatureState: classifyTemperature(row.lastTempCentiC),
    stale: isStale(row.lastReadingAt, row.expectedIntervalSeconds ?? 600, now),
  }));
  const hasMore = byEquipment.size > page.limit;
  return { items: fridges, nextCursor: hasMore ? (fridges.at(-1)?.equipmentId ?? null) : null };
}
