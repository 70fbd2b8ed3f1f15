import { type Executor, equipment, orgUnits, sensors } from "@rantai/db";
import { eq } from "drizzle-orm";
import { authorize } from "../../kernel/authorization";
import type { DomainContext } from "../../kernel/context";

/**
 * The sensor context's targets for the one authorization step (kernel/authorization): equipment
 * a sensor is registered on, and sensors. Managing sensors (`coldchain.sensors.manage`) is for
 * officers at district level and above, on equipment under their org unit: a device credential
 * opens the broker. Refusals are FORBIDDEN with the one message and audited once.
 */

/** Equipment a sensor may be registered on by this actor, with its facility. */
export async function requireEquipmentForSensorAdmin(
  request: DomainContext<Executor>,
  equipmentId: number,
  action: string,
) {
  const [row] = await request.db
    .select({ id: equipment.id, status: equipment.status, facilityId: orgUnits.id, path: orgUnits.path })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(eq(equipment.id, equipmentId))
    .limit(1);
  const entity = { entityType: "equipment", entityId: equipmentId };
  return authorize(request, "coldchain.sensors.manage", action, entity, row, (found) => [found.path]);
}

export type SensorAdminEquipment = Awaited<ReturnType<typeof requireEquipmentForSensorAdmin>>;

/** A sensor whose credential or state this actor may change, with its equipment's facility. */
export async function requireSensorForSensorAdmin(request: DomainContext<Executor>, sensorId: number, action: string) {
  const [row] = await request.db
    .select({
      id: sensors.id,
      deviceId: sensors.deviceId,
      equipmentId: sensors.equipmentId,
      active: sensors.active,
      facilityId: orgUnits.id,
      path: orgUnits.path,
    })
    .from(sensors)
    .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(eq(sensors.id, sensorId))
    .limit(1);
  const entity = { entityType: "sensor", entityId: sensorId };
  return authorize(request, "coldchain.sensors.manage", action, entity, row, (found) => [found.path]);
}
export type SensorAdminSensor = Awaited<ReturnType<typeof requireSensorForSensorAdmin>>;
