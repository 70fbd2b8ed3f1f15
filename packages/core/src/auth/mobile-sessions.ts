import { createHash, randomBytes } from "node:crypto";
import { authSessions, type Executor } from "@rantai/db";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { ActorCache } from "../kernel/authorization";
import { type Actor, findActor } from "./actor";

export const mobileSessionDays = 30;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Issues a bearer token for the phone app; only its hash is stored. */
export async function createMobileSession(
  db: Executor,
  actor: Actor,
  options: { deviceName?: string | undefined; now?: Date } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + mobileSessionDays * 24 * 3600 * 1000);
  await db.insert(authSessions).values({
    userId: actor.userId,
    kind: "mobile",
    tokenHash: hashToken(token),
    deviceName: options.deviceName ?? null,
    userSessionVersion: actor.sessionVersion,
    expiresAt,
    lastUsedAt: now,
  });
  return { token, expiresAt };
}

/**
 * The actor behind a bearer token, or null when the token is unknown, expired, revoked, its user
 * disabled, or issued before the user's sessions were last ended (sign-out anywhere, disable,
 * password reset, role or org-unit change) — so re-enabling a user never revives an old token.
 */
export async function findActorByBearerToken(
  db: Executor,
  token: string,
  options: { now?: Date; actorCache?: ActorCache | undefined } = {},
): Promise<{ actor: Actor; sessionId: number } | null> {
  const now = options.now ?? new Date();
  // The token row is read every time (a revoked token stops at once); the user through the cache.
  const [session] = await db
    .select({ id: authSessions.id, userId: authSessions.userId, version: authSessions.userSessionVersion })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.tokenHash, hashToken(token)),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
      ),
    )
    .limit(1);
  if (!session) return null;
  const actor = await findActor(db, session.userId, options.actorCache);
  return actor && actor.sessionVersion === session.version ? { actor, sessionId: session.id } : null;
}

export async function revokeMobileSession(db: Executor, sessionId: number, now = new Date()): Promise<void> {
  await db.update(authSessions).set({ revokedAt: now }).where(eq(authSessions.id, sessionId));
}
