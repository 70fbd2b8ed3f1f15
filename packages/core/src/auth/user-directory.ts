import { type Executor, orgUnits, users } from "@rantai/db";
import { and, asc, eq, gt, like } from "drizzle-orm";
import { z } from "zod";
import { subtreePattern } from "../kernel/authorization";
import { keysetPage } from "../kernel/pagination";

export const ZListUsersSchema = z.strictObject({
  /** The unit whose users (and those of every unit under it) to list; the caller's own by default. */
  orgUnitId: z.number().int().positive().max(2_147_483_647).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** The last user id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListUsers = z.infer<typeof ZListUsersSchema>;

/**
 * The users at or under an org unit (the scope the procedure authorized for
 * `auth.users.read`), a page at a time by id.
 */
export async function findUsersUnder(db: Executor, scope: { path: string }, input: TListUsers) {
  const rows = await db
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
