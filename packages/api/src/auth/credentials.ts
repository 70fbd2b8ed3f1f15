import { type Database, users } from "@rantai/db";
import { hashSecret, needsRehash, verifySecret } from "@rantai/db/passwords";
import { eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { z } from "zod";
import { AppError } from "../errors";
import { type Actor, findActiveActor } from "./actor";
import { type RequestMeta, writeAudit } from "./audit";
import { clearFailedAttempts, recordFailedAttempt, secondsUntilNextAttempt } from "./login-throttle";

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

/**
 * Checks an email and password. Throttled per account before any hashing; an unknown account,
 * a wrong password and a disabled account all give the same answer. Upgrades weak hashes.
 */
export async function verifyCredentials(
  deps: { db: Database; redis: Redis; meta: RequestMeta },
  input: TSignIn,
): Promise<Actor> {
  const { db, redis, meta } = deps;
  const wait = await secondsUntilNextAttempt(redis, input.email);
  if (wait > 0) {
    await writeAudit(db, meta, { action: "auth.sign_in", outcome: "denied", after: { reason: "throttled" } });
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many failed sign-in attempts for this account. Wait ${wait} seconds and try again, or ask your administrator to reset your password.`,
      { retryAfterSeconds: wait },
    );
  }

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.email, input.email))
    .limit(1);
  const passwordOk = await verifySecret(user?.passwordHash ?? (await getDecoyHash()), input.password);
  const actor = user && passwordOk && user.active ? await findActiveActor(db, user.id) : null;

  if (!user || !actor) {
    await recordFailedAttempt(redis, input.email);
    await writeAudit(db, meta, {
      action: "auth.sign_in",
      outcome: "failed",
      actorUserId: user?.id ?? null,
      after: { reason: !user ? "unknown_account" : !passwordOk ? "wrong_password" : "inactive" },
    });
    throw new AppError("UNAUTHORIZED", invalidCredentialsMessage);
  }

  await clearFailedAttempts(redis, input.email);
  const upgradedHash = needsRehash(user.passwordHash) ? await hashSecret(input.password) : undefined;
  await db
    .update(users)
    .set({ lastLoginAt: new Date(), ...(upgradedHash ? { passwordHash: upgradedHash } : {}) })
    .where(eq(users.id, user.id));
  await writeAudit(db, meta, {
    action: "auth.sign_in",
    outcome: "success",
    actorUserId: actor.userId,
    orgUnitId: actor.orgUnitId,
  });
  return actor;
}
