import { type Executor, orgUnits, users } from "@rantai/db";
import { and, asc, eq, gt, like } from "drizzle-orm";
import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { forbidden } from "../kernel/errors";
import { keysetPage } from "../kernel/pagination";
import { requireOrgUnitInScope, subtreePattern } from "../orgs/scope";
import { writeAudit } from "./audit";
import { userAdminRoles } from "./user-admin";

export const ZListUsersSchema = z.strictObject({
  /** The unit whose users (and those of every unit under it) to list; the caller's own by default. */
  orgUnitId: z.number().int().positive().max(2_147_483_647).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** The last user id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListUsers = z.infer<typeof ZListUsersSchema>;

/**
 * The users an administrator may manage: those at or under an org unit in their scope, a page
 * at a time by id. Only the roles that administer users may list them; refusals are audited.
 */
export async function findUsersInScope(request: DomainContext<Executor>, input: TListUsers) {
  const action = "auth.users.list";
  if (!userAdminRoles.includes(request.actor.role)) {
    await writeAudit(request.db, request.meta, {
      action,
      outcome: "denied",
      actorUserId: request.actor.userId,
      entityType: "org_unit",
      entityId: input.orgUnitId ?? request.actor.orgUnitId,
      orgUnitId: request.actor.orgUnitId,
    });
    throw forbidden();
  }
  const scope = await requireOrgUnitInScope(request, input.orgUnitId ?? request.actor.orgUnitId, action);
  const rows = await request.db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      active: users.active,
      orgUnitId: users.orgUnitId,
      orgUnitName: orgUnits.name,
      lastLoginAt: users.lastLoginAt,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(like(orgUnits.path, subtreePattern(scope.path)), gt(users.id, input.cursor ?? 0)))
    .orderBy(asc(users.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, (row) => row.id);
}
