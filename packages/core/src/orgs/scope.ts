import { type Executor, type OrgUnit, orgUnits } from "@rantai/db";
import { eq } from "drizzle-orm";
import { writeAudit } from "../auth/audit";
import type { DomainContext } from "../kernel/context";
import { forbidden } from "../kernel/errors";

/** A unit is in an actor's scope when it is the actor's own unit or lies under it. */
export function isPathInScope(actorPath: string, targetPath: string): boolean {
  return targetPath.startsWith(actorPath);
}

/** The LIKE pattern matching a path and everything under it. Paths hold only digits and "/". */
export function subtreePattern(path: string): string {
  return `${path}%`;
}

/**
 * Loads an org unit the actor may act on, or refuses. An id that does not exist gets the same
 * FORBIDDEN as one out of scope, so the answer reveals nothing; every refusal is audited.
 */
export async function requireOrgUnitInScope(
  request: DomainContext<Executor>,
  orgUnitId: number,
  action: string,
): Promise<OrgUnit> {
  const [unit] = await request.db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId)).limit(1);
  if (unit?.active && isPathInScope(request.actor.orgUnitPath, unit.path)) return unit;
  await writeAudit(request.db, request.meta, {
    action,
    outcome: "denied",
    actorUserId: request.actor.userId,
    entityType: "org_unit",
    entityId: orgUnitId,
    orgUnitId: request.actor.orgUnitId,
  });
  throw forbidden();
}
