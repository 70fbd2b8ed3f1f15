import { type Database, users } from "@rantai/db";
import { hashSecret, needsRehash, verifySecret } from "@rantai/db/passwords";
import { and, eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError } from "../kernel/errors";
import { type Actor, findActiveActor } from "./actor";
import { type RequestMeta, writeAudit } from "./audit";
import { defaultLoginThrottleFor, type LoginThrottle } from "./login-throttle";

export const ZSignInSchema = z.strictObject({
  email: z.email({ error: "Enter your email address, e.g. nama@dinkes.go.id" }).max(254).trim().toLowerCase(),
  password: z.string().min(1, { error: "Enter your password" }).max(256),
});
export type TSignIn = z.infer<typeof ZSignInSchema>;

export const invalidCredentialsMessage =
  "The email or password is not right. Check them and try again; after 10 failed tries you must wait before trying again.";

// Verifying against a real hash for unknown emails keeps the response time the same, so timing
// does not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;
const getDecoyHash = () => {
  decoyHash ??= hashSecret("decoy-password-for-unknown-accounts");
  return decoyHash;
};

export interface CredentialDeps {
  db: Database;
  redis: Redis;
  meta: RequestMeta;
  /** Defaults to the standard limits on `redis`. */
  loginThrottle?: LoginThrottle | undefined;
  /** Called once per full password check (Argon2 verification), for metrics and tests. */
  onPasswordCheck?: (() => void) | undefined;
}

/**
 * Checks an email and password. A throttle point is taken per account and per client address
 * before any hashing; an unknown account, a wrong password and a disabled account all give the
 * same answer and all count as failures. Upgrades weak hashes.
 */
export async function verifyCredentials(deps: CredentialDeps, input: TSignIn): Promise<Actor> {
  const { db, meta } = deps;
  const throttle = deps.loginThrottle ?? defaultLoginThrottleFor(deps.redis);
  const attempt = await throttle.begin({ email: input.email, address: meta.ip }).catch(async (error: unknown) => {
    if (error instanceof AppError) {
      await writeAudit(db, meta, { action: "auth.sign_in", outcome: "denied", after: { reason: "throttled" } });
    }
    throw error;
  });

  const [user] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      active: users.active,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.email, input.email))
    .limit(1);
  deps.onPasswordCheck?.();
  const passwordOk = await verifySecret(user?.passwordHash ?? (await getDecoyHash()), input.password);
  const actor = user && passwordOk && user.active ? await findActiveActor(db, user.id) : null;

  if (!user || !actor) {
    await writeAudit(db, meta, {
      action: "auth.sign_in",
      outcome: "failed",
      actorUserId: user?.id ?? null,
      after: { reason: !user ? "unknown_account" : !passwordOk ? "wrong_password" : "inactive" },
    });
    throw new AppError("auth.invalid_credentials", invalidCredentialsMessage);
  }

  await throttle.succeeded(attempt);
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  if (needsRehash(user.passwordHash)) {
    // Guarded by the old hash, so a password an administrator set meanwhile is never overwritten.
    await db
      .update(users)
      .set({ passwordHash: await hashSecret(input.password) })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }
  await writeAudit(db, meta, {
    action: "auth.sign_in",
    outcome: "success",
    actorUserId: actor.userId,
    orgUnitId: actor.orgUnitId,
  });
  // Sessions carry the version read before the password was checked: a reset or sign-out that
  // raced with this sign-in ends them too.
  return { ...actor, sessionVersion: user.sessionVersion };
}
