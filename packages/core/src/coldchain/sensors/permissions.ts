import { type Executor, equipment, orgUnits, type Role, sensors } from "@rantai/db";
import { eq } from "drizzle-orm";
import { writeAudit } from "../../auth/audit";
import type { DomainContext } from "../../kernel/context";
import { forbidden } from "../../kernel/errors";
import { isPathInScope } from "../../orgs/scope";

/**
 * Who may register sensors and manage their credentials: officers at district level and above,
 * on equipment under their org unit. Facility staff and viewers may not (a device credential
 * opens the broker). Every refusal is FORBIDDEN with the same message whether or not the thing
 * exists, and is audited once — outside any transaction, so a rollback cannot erase it.
 */
export const sensorAdminRoles: readonly Role[] = ["national_admin", "province_officer", "district_officer"];

interface Denial {
  action: string;
  entityType: "equipment" | "sensor";
  entityId: number;
}

async function deny(request: DomainContext<Executor>, denial: Denial): Promise<never> {
  await writeAudit(request.db, request.meta, {
    ...denial,
    outcome: "denied",
    actorUserId: request.actor.userId,
    orgUnitId: request.actor.orgUnitId,
  });
  throw forbidden();
}

function mayAdminister(request: DomainContext<Executor>, path: string | undefined): path is string {
  return (
    path !== undefined &&
    sensorAdminRoles.includes(request.actor.role) &&
    isPathInScope(request.actor.orgUnitPath, path)
  );
}

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
  if (!row || !mayAdminister(request, row.path))
    return deny(request, { action, entityType: "equipment", entityId: equipmentId });
  return row;
}

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
  if (!row || !mayAdminister(request, row.path))
    return deny(request, { action, entityType: "sensor", entityId: sensorId });
  return row;
}
