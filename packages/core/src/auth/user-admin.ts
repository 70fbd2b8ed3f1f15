import { type Executor, orgUnits, type Role, roles, users } from "@rantai/db";
import { hashSecret } from "@rantai/db/passwords";
import { eq } from "drizzle-orm";
import { z } from "zod";
import {
  type ActorCacheHost,
  actorCacheOf,
  holdsRight,
  isAllowed,
  outranks,
  type RefusedEntity,
  refuse,
  roleLevels,
} from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { ER_DUP_ENTRY, mysqlErrno } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { writeAudit } from "./audit";
import { defaultLoginThrottleFor, type LoginThrottle } from "./login-throttle";
import { ZNewPasswordSchema } from "./password-policy";

/**
 * User administration: disable, enable, reset a password, change role or org unit. A national
 * admin may act on anyone; province and district officers on users at or below their own unit,
 * never on someone whose role is above their own and never granting such a role. Facility staff
 * and viewers may not. Every change raises the user's session version (ending their console and
 * phone sessions) and is audited in its own transaction; every refusal is FORBIDDEN with the
 * one message, whether or not the user exists, and audited outside it so no rollback erases it.
 * Who may do it (`auth.users.manage`), the ranks and the levels are declared in kernel/authorization.
 */

/** What user administration runs with: the request, and the actor cache every change clears. */
type UserAdminContext = DomainContext<Executor> & ActorCacheHost;

const ZIdSchema = z.number().int().positive().max(2_147_483_647);

export const ZUserTargetSchema = z.strictObject({ userId: ZIdSchema });
export type TUserTarget = z.infer<typeof ZUserTargetSchema>;

export const ZResetPasswordSchema = z.strictObject({ userId: ZIdSchema, newPassword: ZNewPasswordSchema });
export type TResetPassword = z.infer<typeof ZResetPasswordSchema>;

export const ZCreateUserSchema = z.strictObject({
  // Trimmed and lower-cased before the format check, as sign-in reads it: " Siti@X.id " is siti@x.id.
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter an email address, e.g. nama@dinkes.go.id" }).max(254)),
  name: z.string().trim().min(2, { error: "must be at least 2 characters" }).max(120),
  role: z.enum(roles),
  orgUnitId: ZIdSchema,
  /** The first password, chosen by the administrator and told to the user in person. */
  password: ZNewPasswordSchema,
});
export type TCreateUser = z.infer<typeof ZCreateUserSchema>;

export const ZReassignUserSchema = z
  .strictObject({ userId: ZIdSchema, role: z.enum(roles).optional(), orgUnitId: ZIdSchema.optional() })
  .refine((input) => input.role !== undefined || input.orgUnitId !== undefined, {
    error: "Give a new role, a new org unit id, or both.",
  });
export type TReassignUser = z.infer<typeof ZReassignUserSchema>;

/** What the audit log and the caller see of a user before and after a change. */
interface UserState {
  active: boolean;
  role: Role;
  orgUnitId: number;
  sessionVersion: number;
}

export interface UserAdminResult {
  userId: number;
  active: boolean;
  role: Role;
  orgUnitId: number;
}

type Target = UserState & { id: number; email: string; path: string };

const readTarget = async (tx: Executor, userId: number, lock: boolean): Promise<Target | undefined> => {
  const query = tx
    .select({
      id: users.id,
      email: users.email,
      active: users.active,
      role: users.role,
      orgUnitId: users.orgUnitId,
      sessionVersion: users.sessionVersion,
      path: orgUnits.path,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, userId))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  return row;
};

/** The right and the scope (kernel/authorization), and the rank: officers act only on lower ranks. */
const mayAdminister = (request: UserAdminContext, target: Target | undefined): target is Target =>
  target !== undefined &&
  isAllowed(request.actor, "auth.users.manage", { orgUnitPaths: [target.path] }) &&
  outranks(request.actor.role, target.role);

/** Why a change was refused, carried out of the transaction so the denial is audited after rollback. */
class Refusal extends Error {
  constructor(readonly entity: RefusedEntity) {
    super("refused");
  }
}

/**
 * Runs one change on a locked user: refuses (audited) what the actor may not do, applies
 * `change`, raises the session version and audits before/after in the same transaction.
 */
async function changeUser(
  request: UserAdminContext,
  action: string,
  userId: number,
  /** What the actor would be doing to their own account, when that is not allowed ("disable"). */
  notOnSelf: string | null,
  change: (tx: Executor, target: Target) => Promise<{ set: Partial<UserState> & { passwordHash?: string } } | null>,
): Promise<UserAdminResult> {
  const denial: RefusedEntity = { entityType: "user", entityId: userId };
  try {
    const result = await request.db.transaction(async (tx) => {
      const target = await readTarget(tx, userId, true);
      const mayAdministerUsers = holdsRight(request.actor.role, "auth.users.manage");
      if (mayAdministerUsers && notOnSelf && target?.id === request.actor.userId) {
        throw new AppError(
          "auth.own_account",
          `You cannot ${notOnSelf} your own account. Ask another administrator to do it.`,
        );
      }
      if (!mayAdminister(request, target)) throw new Refusal(denial);
      const changed = await change(tx, target);
      // Nothing to do (enabling an active user): their sessions go on, nothing is written.
      if (!changed) return { userId: target.id, active: target.active, role: target.role, orgUnitId: target.orgUnitId };
      const { set } = changed;
      const { passwordHash, ...visible } = set;
      await tx
        .update(users)
        .set({ ...set, sessionVersion: target.sessionVersion + 1 })
        .where(eq(users.id, target.id));
      const before: UserState = {
        active: target.active,
        role: target.role,
        orgUnitId: target.orgUnitId,
        sessionVersion: target.sessionVersion,
      };
      const after: UserState & { passwordChanged?: true } = {
        ...before,
        ...visible,
        sessionVersion: target.sessionVersion + 1,
        ...(passwordHash ? { passwordChanged: true as const } : {}),
      };
      await writeAudit(tx, request.meta, {
        action,
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "user",
        entityId: target.id,
        orgUnitId: after.orgUnitId,
        before,
        after,
      });
      return { userId: target.id, active: after.active, role: after.role, orgUnitId: after.orgUnitId };
    });
    // After the commit: the user's next request reads their new state from the database.
    await actorCacheOf(request).forget(userId);
    return result;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return refuse(request, action, error.entity);
  }
}

/** Disables a user: refused from their next request, all their sessions ended. */
export async function disableUser(request: UserAdminContext, input: TUserTarget): Promise<UserAdminResult> {
  return changeUser(request, "auth.users.disable", input.userId, "disable", async () => ({ set: { active: false } }));
}

/** Enables a user again; they must sign in anew, since no session from before comes back. */
export async function enableUser(request: UserAdminContext, input: TUserTarget): Promise<UserAdminResult> {
  return changeUser(request, "auth.users.enable", input.userId, null, async (_tx, target) =>
    target.active ? null : { set: { active: true } },
  );
}

/** Sets a new password chosen by the administrator and ends the user's sessions. */
export async function resetUserPassword(
  request: UserAdminContext & { loginThrottle?: LoginThrottle | undefined },
  input: TResetPassword,
): Promise<UserAdminResult> {
  // Argon2 is slow: hashed before the row is locked, but only for a target the actor may
  // administer, so a refused caller cannot make the server hash for nothing. The lock checks again.
  const target = await readTarget(request.db, input.userId, false);
  const allowed = mayAdminister(request, target) && target.id !== request.actor.userId;
  const early = allowed ? await hashSecret(input.newPassword) : null;
  const result = await changeUser(
    request,
    "auth.users.resetPassword",
    input.userId,
    "reset the password of",
    async () => ({
      set: { passwordHash: early ?? (await hashSecret(input.newPassword)) },
    }),
  );
  // The account's sign-in limit was for the old password: the user may try the new one at once.
  if (target) await (request.loginThrottle ?? defaultLoginThrottleFor(request.redis)).clearAccount(target.email);
  return result;
}

/** Why a role may not be held at a unit, or null when it may (the level the role belongs at). */
function roleLevelMismatch(role: Role, unit: { level: string; name: string }): AppError | null {
  if ((roleLevels[role] as readonly string[]).includes(unit.level)) return null;
  return new AppError(
    "auth.role_level_mismatch",
    `A ${role.replace("_", " ")} belongs at ${roleLevels[role].join(" or ")} level, but ${unit.name} is a ${unit.level}. Choose a unit of that level or another role.`,
  );
}

/**
 * Creates a user at an org unit in the actor's scope, with a role below the actor's own (the
 * national admin may grant any role) that belongs at that unit's level. The password is the
 * administrator's choice, hashed before anything is written; a taken email is a conflict.
 */
export async function createUserAccount(request: DomainContext<Executor>, unit: OrgUnitTarget, input: TCreateUser) {
  const action = "auth.users.create";
  if (!outranks(request.actor.role, input.role)) {
    return refuse(request, action, { entityType: "org_unit", entityId: unit.id, after: { role: input.role } });
  }
  const mismatch = roleLevelMismatch(input.role, unit);
  if (mismatch) throw mismatch;
  const passwordHash = await hashSecret(input.password);
  try {
    return await request.db.transaction(async (tx) => {
      const [{ id }] = (await tx
        .insert(users)
        .values({ email: input.email, name: input.name, passwordHash, role: input.role, orgUnitId: unit.id })
        .$returningId()) as [{ id: number }];
      const after = { email: input.email, name: input.name, role: input.role, orgUnitId: unit.id, active: true };
      await writeAudit(tx, request.meta, {
        action,
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "user",
        entityId: id,
        orgUnitId: unit.id,
        after,
      });
      return { userId: id, active: true, role: input.role, orgUnitId: unit.id };
    });
  } catch (error) {
    if (mysqlErrno(error) === ER_DUP_ENTRY) {
      throw new AppError(
        "auth.email_taken",
        `${input.email} already has an account. Find it in the list of users, or use another address.`,
      );
    }
    throw error;
  }
}

/** The org unit a user is created at, as the procedure authorized it. */
type OrgUnitTarget = { id: number; level: string; name: string };

/** Changes a user's role, org unit or both, within the actor's scope and rank. */
export async function reassignUser(request: UserAdminContext, input: TReassignUser): Promise<UserAdminResult> {
  const action = "auth.users.reassign";
  return changeUser(request, action, input.userId, "change the role or org unit of", async (tx, target) => {
    const role = input.role ?? target.role;
    const orgUnitId = input.orgUnitId ?? target.orgUnitId;
    const [unit] = await tx
      .select({ level: orgUnits.level, path: orgUnits.path, active: orgUnits.active, name: orgUnits.name })
      .from(orgUnits)
      .where(eq(orgUnits.id, orgUnitId))
      .limit(1);
    const denial: RefusedEntity = { entityType: "user", entityId: target.id, after: { role, orgUnitId } };
    const unitPaths = unit?.active ? [unit.path] : [];
    if (!unit || !isAllowed(request.actor, "auth.users.manage", { orgUnitPaths: unitPaths })) throw new Refusal(denial);
    if (role !== target.role && !outranks(request.actor.role, role)) throw new Refusal(denial);
    const mismatch = roleLevelMismatch(role, unit);
    if (mismatch) throw mismatch;
    return { set: { role, orgUnitId } };
  });
}
