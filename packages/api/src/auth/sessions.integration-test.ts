import { randomUUID } from "node:crypto";
import type { ConsoleSession } from "@rantai/core/auth";
import { defaultLoginThrottle, signOutEverywhere, verifyCredentials } from "@rantai/core/auth";
import { createActorCache, forbiddenMessage } from "@rantai/core/kernel";
import { connectUnreachableRedis } from "@rantai/core/testing";
import { auditLog, users } from "@rantai/db";
import { createUser } from "@rantai/db/factories";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServices, createApiContext } from "../context";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("sessions");
});
afterAll(async () => {
  await world?.destroy();
});

const meta = () => ({ requestId: randomUUID(), ip: "127.0.0.1", userAgent: "vitest" });
const bearerHeaders = (token: string) => new Headers({ authorization: `Bearer ${token}` });

/** A fresh facility user of district A, signed in on the console (as the JWT would say) and on a phone. */
async function signedInEverywhere(password?: string) {
  const user = await createUser(world.db, {
    orgUnit: world.units.facilityA1,
    role: "facility_staff",
    ...(password ? { password } : {}),
  });
  const actor = await verifyCredentials({ ...world, meta: meta() }, user);
  const consoleSession: ConsoleSession = { userId: actor.userId, sessionVersion: actor.sessionVersion };
  const { token } = await world.anonymousCaller().auth.signInMobile({ email: user.email, password: user.password });
  return { user, consoleSession, token };
}

/** Whether a replayed console cookie and phone token are still accepted. */
async function stillAccepted(consoleSession: ConsoleSession, token: string) {
  const viaConsole = await createApiContext(world, { headers: new Headers(), session: consoleSession });
  const viaPhone = await createApiContext(world, { headers: bearerHeaders(token) });
  return { console: viaConsole.actor !== null, phone: viaPhone.actor !== null };
}

const admin = () => world.callerFor(world.people.districtOfficerA.id);

describe("sessions end on the server", () => {
  it("accepts a console session only under the version it was issued with", async () => {
    const { consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    const forged = { ...consoleSession, sessionVersion: consoleSession.sessionVersion + 1 };
    expect((await createApiContext(world, { headers: new Headers(), session: forged })).actor).toBeNull();
  });

  it("refuses a replayed console cookie and phone token after console sign-out", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    expect(await signOutEverywhere(world, meta(), consoleSession, "console")).toBe(true);
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });

    // Signing out with the stale cookie again ends nothing new; a fresh sign-in works.
    const fresh = await verifyCredentials({ ...world, meta: meta() }, user);
    expect(await signOutEverywhere(world, meta(), consoleSession, "console")).toBe(false);
    const freshSession = { userId: fresh.userId, sessionVersion: fresh.sessionVersion };
    expect((await createApiContext(world, { headers: new Headers(), session: freshSession })).actor).not.toBeNull();
  });

  it("refuses the console cookie and the token after phone sign-out", async () => {
    const { consoleSession, token } = await signedInEverywhere();
    const phone = world.createCaller(await createApiContext(world, { headers: bearerHeaders(token) }));
    await phone.auth.signOutMobile();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    const [row] = await world.db
      .select({ actorUserId: auditLog.actorUserId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_out"), eq(auditLog.actorUserId, consoleSession.userId)));
    expect(row?.actorUserId).toBe(consoleSession.userId);
  });

  it("refuses old sessions after disable, and still after enable", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    const caller = await admin();
    await caller.users.disable({ userId: user.id });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    await caller.users.enable({ userId: user.id });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    // The user signs in anew.
    await expect(
      world.anonymousCaller().auth.signInMobile({ email: user.email, password: user.password }),
    ).resolves.toBeDefined();
  });

  it("refuses old sessions and the old password after a password reset", async () => {
    const { user, consoleSession, token } = await signedInEverywhere("the-old-password-1");
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    await (await admin()).users.resetPassword({ userId: user.id, newPassword: "a-brand-new-secret-2" });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    const anonymous = world.anonymousCaller();
    expect((await errorOf(anonymous.auth.signInMobile({ email: user.email, password: user.password }))).code).toBe(
      "UNAUTHORIZED",
    );
    await expect(
      anonymous.auth.signInMobile({ email: user.email, password: "a-brand-new-secret-2" }),
    ).resolves.toBeDefined();
  });

  it("lifts the account's sign-in limit when an administrator resets the password", async () => {
    const { user } = await signedInEverywhere("the-forgotten-one-3");
    const anonymous = world.anonymousCaller();
    for (let attempt = 0; attempt < defaultLoginThrottle.freeAttempts; attempt += 1) {
      await errorOf(anonymous.auth.signInMobile({ email: user.email, password: "a-wrong-guess-of-it" }));
    }
    const locked = await errorOf(anonymous.auth.signInMobile({ email: user.email, password: "the-forgotten-one-3" }));
    expect(locked.code).toBe("TOO_MANY_REQUESTS");
    await (await admin()).users.resetPassword({ userId: user.id, newPassword: "a-fresh-passphrase-4" });
    await expect(
      anonymous.auth.signInMobile({ email: user.email, password: "a-fresh-passphrase-4" }),
    ).resolves.toBeDefined();
  });

  it("refuses old sessions after a role or org-unit change", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    await (await admin()).users.reassign({ userId: user.id, orgUnitId: world.units.facilityA2.id });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
  });
});

describe("the actor cache", () => {
  const consoleActor = async (session: ConsoleSession, services: ApiServices = world) =>
    (await createApiContext(services, { headers: new Headers(), session })).actor;

  it("serves a signed-in user from Redis: a change behind the application's back is not seen until cleared", async () => {
    const { user, consoleSession } = await signedInEverywhere();
    const name = (await consoleActor(consoleSession))?.name;
    expect(name).toEqual(expect.any(String));
    await world.db.update(users).set({ name: "Renamed Behind The Back" }).where(eq(users.id, user.id));
    // Not read from the users table again: the cached actor still has the old name.
    expect((await consoleActor(consoleSession))?.name).toBe(name);
    await world.actorCache.forget(user.id);
    expect((await consoleActor(consoleSession))?.name).toBe("Renamed Behind The Back");
  });

  it("is cleared by a role change: old sessions are refused, a new one sees the new role at once", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    await (await admin()).users.reassign({ userId: user.id, role: "viewer" });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    const renewed = { userId: user.id, sessionVersion: consoleSession.sessionVersion + 1 };
    expect((await consoleActor(renewed))?.role).toBe("viewer");
  });

  it("is cleared by disabling: the very next request is refused, whatever session it carries", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
    await (await admin()).users.disable({ userId: user.id });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: false, phone: false });
    const renewed = { userId: user.id, sessionVersion: consoleSession.sessionVersion + 1 };
    expect(await consoleActor(renewed)).toBeNull();
  });

  it("reads the database while Redis is unreachable: nobody is locked out, a disabled user is refused", async () => {
    const unreachable = connectUnreachableRedis();
    try {
      const services: ApiServices = { ...world, actorCache: createActorCache(unreachable) };
      const { user, consoleSession } = await signedInEverywhere();
      expect((await consoleActor(consoleSession, services))?.userId).toBe(user.id);
      await world.db.update(users).set({ active: false }).where(eq(users.id, user.id));
      expect(await consoleActor(consoleSession, services)).toBeNull();
    } finally {
      unreachable.disconnect();
    }
  });
});

describe("user administration", () => {
  async function auditRows(action: string, userId: number) {
    return world.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.entityId, String(userId))))
      .orderBy(desc(auditLog.id));
  }

  it("audits disable and enable with actor, target, before and after, and the request id", async () => {
    const target = await createUser(world.db, { orgUnit: world.units.facilityA2, role: "facility_staff" });
    const officer = world.people.districtOfficerA;
    const actor = await verifyCredentials({ ...world, meta: meta() }, officer);
    const context = world.contextFor(actor);
    const caller = world.createCaller(context);
    await expect(caller.users.disable({ userId: target.id })).resolves.toMatchObject({ active: false });
    await expect(caller.users.enable({ userId: target.id })).resolves.toMatchObject({ active: true });

    const [disabled] = await auditRows("auth.users.disable", target.id);
    expect(disabled).toMatchObject({
      outcome: "success",
      actorUserId: officer.id,
      entityType: "user",
      entityId: String(target.id),
      requestId: context.meta.requestId,
      before: { active: true, sessionVersion: 0 },
      after: { active: false, sessionVersion: 1 },
    });
    const [enabled] = await auditRows("auth.users.enable", target.id);
    expect(enabled).toMatchObject({
      outcome: "success",
      actorUserId: officer.id,
      before: { active: false },
      after: { active: true, sessionVersion: 2 },
    });
  });

  it("refuses an officer of another district, audits it and changes nothing", async () => {
    const target = await createUser(world.db, { orgUnit: world.units.facilityB1, role: "facility_staff" });
    const caller = await admin();
    for (const call of [
      () => caller.users.disable({ userId: target.id }),
      () => caller.users.enable({ userId: target.id }),
      () => caller.users.resetPassword({ userId: target.id, newPassword: "someone-elses-pass-9" }),
      () => caller.users.reassign({ userId: target.id, role: "viewer" }),
    ]) {
      const error = await errorOf(call());
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe(forbiddenMessage);
    }
    const denied = await world.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityId, String(target.id)),
          eq(auditLog.outcome, "denied"),
          eq(auditLog.actorUserId, world.people.districtOfficerA.id),
        ),
      );
    expect(denied.map((row) => row.action).sort()).toEqual(
      ["auth.users.disable", "auth.users.enable", "auth.users.reassign", "auth.users.resetPassword"].sort(),
    );
    const [row] = await world.db.select().from(users).where(eq(users.id, target.id));
    expect(row).toMatchObject({ active: true, role: "facility_staff", sessionVersion: 0 });
  });

  it("refuses facility staff and viewers, even on their own unit", async () => {
    const target = await createUser(world.db, { orgUnit: world.units.facilityA1, role: "viewer" });
    for (const userId of [world.people.facilityStaffA1.id, world.people.viewerA.id]) {
      const caller = await world.callerFor(userId);
      expect((await errorOf(caller.users.disable({ userId: target.id }))).code).toBe("FORBIDDEN");
    }
  });

  it("never lets an officer grant a role above their own or act on a higher role", async () => {
    const target = await createUser(world.db, { orgUnit: world.units.districtA, role: "viewer" });
    const district = await admin();
    const promote = await errorOf(district.users.reassign({ userId: target.id, role: "province_officer" }));
    expect(promote.code).toBe("FORBIDDEN");
    const peerAbove = await createUser(world.db, { orgUnit: world.units.districtA, role: "national_admin" });
    expect((await errorOf(district.users.disable({ userId: peerAbove.id }))).code).toBe("FORBIDDEN");
    // A peer's rank is not granted, and a peer is not administered: an officer cannot take over a
    // fellow officer's account by resetting its password.
    expect((await errorOf(district.users.reassign({ userId: target.id, role: "district_officer" }))).code).toBe(
      "FORBIDDEN",
    );
    const peer = await createUser(world.db, { orgUnit: world.units.districtA, role: "district_officer" });
    const takeover = district.users.resetPassword({ userId: peer.id, newPassword: "a-new-long-passphrase" });
    expect((await errorOf(takeover)).code).toBe("FORBIDDEN");
    const wrongLevel = await errorOf(district.users.reassign({ userId: target.id, role: "facility_staff" }));
    expect(wrongLevel.code).toBe("UNPROCESSABLE_CONTENT");
    // Below their rank, in scope, and the unit fits the role.
    await expect(
      district.users.reassign({ userId: target.id, role: "facility_staff", orgUnitId: world.units.facilityA1.id }),
    ).resolves.toMatchObject({ role: "facility_staff", orgUnitId: world.units.facilityA1.id });
  });

  it("checks new passwords like sign-up and refuses acting on oneself", async () => {
    const target = await createUser(world.db, { orgUnit: world.units.facilityA1, role: "viewer" });
    const caller = await admin();
    for (const newPassword of ["short", "password123", " ".repeat(12), "x".repeat(257)]) {
      expect((await errorOf(caller.users.resetPassword({ userId: target.id, newPassword }))).code).toBe("BAD_REQUEST");
    }
    const self = await errorOf(caller.users.disable({ userId: world.people.districtOfficerA.id }));
    expect(self.code).toBe("UNPROCESSABLE_CONTENT");
    const ownPassword = caller.users.resetPassword({
      userId: world.people.districtOfficerA.id,
      newPassword: "a-new-long-passphrase",
    });
    expect((await errorOf(ownPassword)).code).toBe("UNPROCESSABLE_CONTENT");
    // Someone who may not administer users is refused, even on their own account.
    const viewer = await world.callerFor(world.people.viewerA.id);
    expect((await errorOf(viewer.users.disable({ userId: world.people.viewerA.id }))).code).toBe("FORBIDDEN");
  });

  it("keeps the sessions of a user who is enabled while already active", async () => {
    const { user, consoleSession, token } = await signedInEverywhere();
    await (await admin()).users.enable({ userId: user.id });
    expect(await stillAccepted(consoleSession, token)).toEqual({ console: true, phone: true });
  });

  it("lists the users under a unit in scope, and nobody else's", async () => {
    const inScope = await createUser(world.db, { orgUnit: world.units.facilityA2, role: "viewer" });
    const outOfScope = await createUser(world.db, { orgUnit: world.units.facilityB1, role: "viewer" });
    const caller = await admin();
    const ids: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await caller.users.list({ limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(ids).toContain(inScope.id);
    expect(ids).toContain(world.people.facilityStaffA1.id);
    expect(ids).not.toContain(outOfScope.id);
    expect(ids).not.toContain(world.people.districtOfficerB.id);
    expect(JSON.stringify(await caller.users.list({}))).not.toContain("argon2");
  });
});
