import { type Executor, orgUnits, users } from "@rantai/db";
import { eq } from "drizzle-orm";
import type { ActorCache } from "../kernel/authorization";
import { rightsOf } from "../kernel/authorization/roles";
import type { Actor } from "../kernel/context";
import { findTimeZoneOfPath } from "../orgs/province";

/**
 * Reads the actor for a user id from the database: null when the user or their org unit is
 * inactive. Requests read it through the actor cache (kernel/authorization), which every change
 * to a user clears after its commit, so a user disabled after their session was issued (JWT on
 * the web, bearer on the phone) is refused from the next request on.
 */
export async function findActiveActor(db: Executor, userId: number): Promise<Actor | null> {
  const [row] = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      locale: users.locale,
      active: users.active,
      orgUnitId: users.orgUnitId,
      orgUnitName: orgUnits.name,
      orgUnitPath: orgUnits.path,
      orgUnitActive: orgUnits.active,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row?.active || !row.orgUnitActive) return null;
  const { active: _active, orgUnitActive: _orgUnitActive, ...actor } = row;
  return actor;
}

/** What a console session (JWT) says about its user. */
export interface ConsoleSession {
  userId: number;
  sessionVersion: number;
}

/** The actor for a user id, through the cache when one is given, otherwise from the database. */
export async function findActor(db: Executor, userId: number, actorCache?: ActorCache): Promise<Actor | null> {
  const load = () => findActiveActor(db, userId);
  return actorCache ? actorCache.find(userId, load) : load();
}

/**
 * The actor behind a console session, or null when the user was disabled or the session ended
 * on the server since it was issued (sign-out, password reset, role or org-unit change).
 */
export async function findSessionActor(
  db: Executor,
  session: ConsoleSession,
  actorCache?: ActorCache,
): Promise<Actor | null> {
  const actor = await findActor(db, session.userId, actorCache);
  return actor?.sessionVersion === session.sessionVersion ? actor : null;
}

/** What clients may see of an actor. */
export function toPublicUser(actor: Actor) {
  return {
    id: actor.userId,
    name: actor.name,
    email: actor.email,
    role: actor.role,
    locale: actor.locale,
    orgUnitId: actor.orgUnitId,
    orgUnitName: actor.orgUnitName,
    /** What the role may do (the table the API checks); clients offer actions by these, never by role name. */
    rights: rightsOf(actor.role),
  };
}
export type PublicUser = ReturnType<typeof toPublicUser>;

/**
 * The signed-in user as their own client sees them: the public record and the clock of their
 * unit's province (a puskesmas in Makassar reads "08.00 WITA"), so the phone shows times as the
 * facility's wall clock reads them whatever zone the device is set to.
 */
export async function getSignedInUser(db: Executor, actor: Actor) {
  const zone = await findTimeZoneOfPath(db, actor.orgUnitPath);
  return { ...toPublicUser(actor), timeZone: zone.timeZone, timeZoneAbbreviation: zone.abbreviation };
}
export type SignedInUser = Awaited<ReturnType<typeof getSignedInUser>>;

export type { Actor } from "../kernel/context";
