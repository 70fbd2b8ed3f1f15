import { type Executor, orgUnits } from "@rantai/db";
import { createFridgeWithSensor } from "@rantai/db/factories";
import { eq } from "drizzle-orm";

/** An id no equipment or sensor has, for "does not exist" cases. */
export const MISSING_ID = 2_000_000_000;

/**
 * A fridge with a sensor at an org unit, for tests that are given an org unit id (the
 * authorization matrix): ids of units that do not exist map to equipment and sensor ids that
 * do not exist either.
 */
export async function createSensorFixtureAt(db: Executor, orgUnitId: number) {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId)).limit(1);
  if (!unit) return { equipmentId: MISSING_ID, sensorId: MISSING_ID };
  const { equipmentId, sensorId } = await createFridgeWithSensor(db, { facility: unit });
  return { equipmentId, sensorId };
}

let counter = 0;
/** A device id nobody else uses in this test run. */
export function uniqueDeviceId(prefix = "TEST-REG"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
