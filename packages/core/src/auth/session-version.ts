import { type Executor, users } from "@rantai/db";
import { and, eq, sql } from "drizzle-orm";
import type { ConsoleSession } from "./actor";
import { type RequestMeta, writeAudit } from "./audit";

/**
 * Ends every session of a user, console and phone, by raising their session version: each
 * request compares the version its JWT or bearer token was issued under with the user's, so
 * the old ones are refused from the next request on and can never come back (not even when a
 * disabled user is enabled again). With `ifVersion`, only when the version still is that one —
 * a stale session signing out must not end the sessions that replaced it.
 */
export async function endUserSessions(
  db: Executor,
  userId: number,
  options: { ifVersion?: number } = {},
): Promise<boolean> {
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
 * copied cookie or token is worthless afterwards) and audits it in the same transaction.
 */
export async function signOutEverywhere(
  db: Executor,
  meta: RequestMeta,
  session: ConsoleSession,
  via: "console" | "phone",
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await endUserSessions(tx, session.userId, { ifVersion: session.sessionVersion });
    if (ended) {
      await writeAudit(tx, meta, {
        action: "auth.sign_out",
        outcome: "success",
        actorUserId: session.userId,
        entityType: "user",
        entityId: session.userId,
        after: { via, sessionVersion: session.sessionVersion + 1 },
      });
    }
    return ended;
  });
}
