import { type Executor, type OrgUnit, orgUnits } from "@rantai/db";
import { eq } from "drizzle-orm";
import { writeAudit } from "../../auth/audit";
import type { Actor, DomainContext } from "../context";
import { forbidden } from "../errors";
import { holdsRight, type Right } from "./roles";
import { isPathInScope } from "./scope";

/** What the audit log names when a request is refused. */
export interface RefusedEntity {
  entityType: string;
  entityId: number | string;
  /** What the actor asked for, when that (not the entity) is what was refused, e.g. a role to grant. */
  after?: unknown;
}

/**
 * Where a target lies: the materialized paths of the org units it belongs to (a shipment belongs
 * to its sender and its receiver); one of them in the actor's scope suffices. Empty when the
 * target does not exist or is inactive, so it is refused exactly like one out of scope.
 */
export interface TargetPlace {
  orgUnitPaths: readonly string[];
}

/** The decision itself, with no side effect: the role holds the right and the target is in scope. */
export function isAllowed(actor: Actor, right: Right, target: TargetPlace): boolean {
  return holdsRight(actor.role, right) && target.orgUnitPaths.some((path) => isPathInScope(actor.orgUnitPath, path));
}

/**
 * The one way a request is refused: the denial is written to the audit log, then FORBIDDEN is
 * thrown with the one message (which never says whether the thing exists). Called outside any
 * transaction, so a rollback cannot erase the record of the refusal.
 */
export async function refuse(request: DomainContext<Executor>, action: string, entity: RefusedEntity): Promise<never> {
  await writeAudit(request.db, request.meta, {
    action,
    outcome: "denied",
    actorUserId: request.actor.userId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    orgUnitId: request.actor.orgUnitId,
    ...(entity.after === undefined ? {} : { after: entity.after }),
  });
  throw forbidden();
}

/**
 * May this actor do this (`right`) to that target? The one authorization step: `target` is the
 * row a context has loaded (undefined when it was not found), `orgUnitPathsOf` says where it
 * lies. Returns the row when allowed; otherwise refuses (audited). Every context's entities go
 * through it (org unit, sensor, alarm, shipment, request, ledger entry...).
 */
export async function authorize<Row>(
  request: DomainContext<Executor>,
  right: Right,
  action: string,
  entity: RefusedEntity,
  row: Row | undefined,
  orgUnitPathsOf: (row: Row) => readonly string[],
): Promise<Row> {
  if (row !== undefined && isAllowed(request.actor, right, { orgUnitPaths: orgUnitPathsOf(row) })) return row;
  return refuse(request, action, entity);
}

/**
 * Loads an org unit and authorizes `right` on it: the target of every procedure that names an
 * org unit. An id that does not exist, or an inactive unit, is refused like one out of scope.
 */
export async function authorizeOrgUnit(
  request: DomainContext<Executor>,
  right: Right,
  action: string,
  orgUnitId: number,
): Promise<OrgUnit> {
  const [unit] = await request.db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId)).limit(1);
  return authorize(request, right, action, { entityType: "org_unit", entityId: orgUnitId }, unit, (found) =>
    found.active ? [found.path] : [],
  );
}
