import { type AlarmType, alarms, type Executor, type OrgUnit } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import type { ReadingRow } from "../readings-store";
import { liveKeyOf } from "./store";

/** Test helpers: ingest's flush without MQTT (see apply-readings.ts), and an alarm row for authorization tests. */
export { applyReadings } from "./apply-readings";

/** A reading row: `ts` as a Date or epoch ms, temperature in °C. */
export function readingRow(
  sensorId: number,
  ts: Date | number,
  tempC: number,
  extra: { batteryPct?: number | null; receivedAt?: Date } = {},
): ReadingRow {
  return {
    sensorId,
    ts: typeof ts === "number" ? new Date(ts) : ts,
    tempCentiC: Math.round(tempC * 100),
    batteryPct: extra.batteryPct ?? null,
    seq: null,
    receivedAt: extra.receivedAt ?? new Date(),
  };
}

/** An open alarm at a fridge (for API tests), or one in another status. */
export async function createTestAlarm(
  db: Executor,
  fridge: { sensorId: number; equipmentId: number; facilityId: number },
  options: { type?: AlarmType; status?: "open" | "resolved" | "retracted"; startedAt?: Date } = {},
): Promise<number> {
  const type = options.type ?? "heat";
  const status = options.status ?? "open";
  const startedAt = options.startedAt ?? new Date(Date.now() - 11 * 3_600_000);
  const [header] = await db.insert(alarms).values({
    equipmentId: fridge.equipmentId,
    sensorId: fridge.sensorId,
    facilityId: fridge.facilityId,
    type,
    status,
    // Only one live alarm per sensor and type: tests that need several use resolved ones.
    liveKey: status === "open" ? liveKeyOf(fridge.sensorId, type) : null,
    startedAt,
    lastOutOfRangeAt: new Date(startedAt.getTime() + 10 * 3_600_000),
    endedAt: status === "open" ? null : new Date(startedAt.getTime() + 10 * 3_600_000 + 600_000),
    durationSeconds: 36_000,
    peakCentiC: 950,
    minCentiC: 850,
    heatExposureCentiDegreeHours: 1000,
    resolvedAt: status === "resolved" ? new Date() : null,
    retractedAt: status === "retracted" ? new Date() : null,
  });
  return header.insertId;
}

/**
 * A resolved, unacknowledged alarm at a facility under `unit` (the unit itself when it is a
 * facility, otherwise a new facility right under it): for authorization tests, where each call
 * needs an alarm of its own on one side of a scope boundary.
 */
export async function createAlarmUnder(db: Executor, unit: OrgUnit): Promise<number> {
  const facility = unit.level === "facility" ? unit : await createOrgUnit(db, { parent: unit, level: "facility" });
  const fridge = await createFridgeWithSensor(db, { facility });
  return createTestAlarm(db, { ...fridge, facilityId: facility.id }, { status: "resolved" });
}
