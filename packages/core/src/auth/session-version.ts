import { type Database, type Executor, users } from "@rantai/db";
import { and, eq, sql } from "drizzle-orm";
import { type ActorCacheHost, actorCacheOf } from "../kernel/authorization";
import type { ConsoleSession } from "./actor";
import { type RequestMeta, writeAudit } from "./audit";
import { revokeMobileSession } from "./mobile-sessions";

/**
 * Ends every session of a user, console and phone, by raising their session version: each
 * request compares the version its JWT or bearer token was issued under with the user's, so
 * the old ones are refused from the next request on and can never come back (not even when a
 * disabled user is enabled again). With `ifVersion`, only when the version still is that one —
 * a stale session signing out must not end the sessions that replaced it. Runs inside the
 * caller's transaction; the caller clears the user's cached actor after the commit.
 */
async function endUserSessions(db: Executor, userId: number, options: { ifVersion?: number } = {}): Promise<boolean> {
  const [result] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(
      and(
        eq(users.id, userId),
        options.ifVersion === undefined ? undefined : eq(users.sessionVersion, options.ifVersion),
      ),
    );
  return result.affectedRows > 0;
}

/**
 * Sign-out, from the console or the phone: ends all of the user's sessions on the server (a
 * copied cookie or token is worthless afterwards) and audits it in the same transaction; from
 * the phone, the token it came with is revoked in it too. After the commit the user's cached
 * actor is cleared, so their very next request is refused.
 */
export async function signOutEverywhere(
  services: { db: Database } & ActorCacheHost,
  meta: RequestMeta,
  session: ConsoleSession,
  via: "console" | "phone",
  options: { mobileSessionId?: number } = {},
): Promise<boolean> {
  const ended = await services.db.transaction(async (tx) => {
    if (options.mobileSessionId !== undefined) await revokeMobileSession(tx, options.mobileSessionId);
    const raised = await endUserSessions(tx, session.userId, { ifVersion: session.sessionVersion });
    if (raised) {
      await writeAudit(tx, meta, {
        action: "auth.sign_out",
        outcome: "success",
        actorUserId: session.userId,
        entityType: "user",
        entityId: session.userId,
        after: { via, sessionVersion: session.sessionVersion + 1 },
      });
    }
    return raised;
  });
  if (ended) await actorCacheOf(services).forget(session.userId);
  return ended;
}
