import { randomUUID } from "node:crypto";
import type { RequestMeta } from "@rantai/core/auth";
import { invalidCredentialsMessage, retryAfterResponseMeta, verifyCredentials } from "@rantai/core/auth";
import { AppError } from "@rantai/core/kernel";
import { auditLog, users } from "@rantai/db";
import { createOrgUnit, createUser } from "@rantai/db/factories";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiContext } from "../context";
import { appRouter } from "../root";
import { type ApiTestWorld, createApiTestWorld, errorOf, shapeSentFor } from "../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("auth");
});
afterAll(async () => {
  await world?.destroy();
});

const bearerHeaders = (token: string) => new Headers({ authorization: `Bearer ${token}`, "user-agent": "vitest" });

describe("phone sign-in", () => {
  it("issues a bearer token that identifies the user on later requests", async () => {
    const { email, password } = world.people.facilityStaffA1;
    const result = await world.anonymousCaller().auth.signInMobile({ email: email.toUpperCase(), password });
    expect(result.user).toMatchObject({ email, role: "facility_staff", orgUnitId: world.units.facilityA1.id });
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(result)).not.toContain("argon2");

    const context = await createApiContext(world, { headers: bearerHeaders(result.token) });
    expect(context.actor?.userId).toBe(world.people.facilityStaffA1.id);
    await expect(world.createCaller(context).auth.me()).resolves.toMatchObject({ email });
  });

  it("tells the phone its facility's clock: WITA for a puskesmas in Sulawesi Selatan, WIB outside any province", async () => {
    const province = await createOrgUnit(world.db, { parent: world.units.national, level: "province", code: "73" });
    const district = await createOrgUnit(world.db, { parent: province, level: "district", code: "73.71" });
    const facility = await createOrgUnit(world.db, { parent: district, level: "facility" });
    const { email, password } = await createUser(world.db, { orgUnit: facility, role: "facility_staff" });
    const makassar = { timeZone: "Asia/Makassar", timeZoneAbbreviation: "WITA" };

    const signedIn = await world.anonymousCaller().auth.signInMobile({ email, password });
    expect(signedIn.user).toMatchObject(makassar);
    const context = await createApiContext(world, { headers: bearerHeaders(signedIn.token) });
    await expect(world.createCaller(context).auth.me()).resolves.toMatchObject(makassar);
    // The test world's province has no Kemendagri code: its staff read the capital's clock.
    await expect((await world.callerFor(world.people.facilityStaffA1.id)).auth.me()).resolves.toMatchObject({
      timeZone: "Asia/Jakarta",
      timeZoneAbbreviation: "WIB",
    });
  });

  it("answers a wrong password and an unknown account the same way", async () => {
    const caller = world.anonymousCaller();
    const wrong = await errorOf(caller.auth.signInMobile({ email: world.people.viewerA.email, password: "nope-nope" }));
    const unknown = await errorOf(caller.auth.signInMobile({ email: "nobody@test.rantai.id", password: "nope-nope" }));
    expect(wrong.code).toBe("UNAUTHORIZED");
    expect(unknown.code).toBe("UNAUTHORIZED");
    expect(wrong.message).toBe(invalidCredentialsMessage);
    expect(unknown.message).toBe(invalidCredentialsMessage);
    expect(shapeSentFor(wrong).data.reason).toBe("auth.invalid_credentials");
    expect(shapeSentFor(unknown).data.reason).toBe("auth.invalid_credentials");
    await world.loginThrottle.clearAccount(world.people.viewerA.email);
  });

  it("rejects unknown fields and explains bad input", async () => {
    const caller = world.anonymousCaller();
    const error = await errorOf(
      caller.auth.signInMobile({ email: "not-an-email", password: "x", role: "national_admin" } as never),
    );
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("throttles an account after repeated failures, before checking the password", async () => {
    const { email, password } = world.people.provinceOfficer;
    const caller = world.anonymousCaller();
    for (let attempt = 0; attempt < world.loginThrottle.options.freeAttempts; attempt += 1) {
      expect((await errorOf(caller.auth.signInMobile({ email, password: "wrong-password" }))).code).toBe(
        "UNAUTHORIZED",
      );
    }
    // Even the right password is refused while the delay runs.
    const throttled = await errorOf(caller.auth.signInMobile({ email, password }));
    expect(throttled.code).toBe("TOO_MANY_REQUESTS");
    expect(throttled.message).toMatch(/Wait \d+ seconds/);
    expect(shapeSentFor(throttled).data).toMatchObject({
      reason: "auth.rate_limited",
      retryAfterSeconds: expect.any(Number),
    });
    await world.loginThrottle.clearAccount(email);
    await expect(caller.auth.signInMobile({ email, password })).resolves.toBeDefined();
  });

  it("stops a disabled user's existing token and web session on the next request", async () => {
    const { id, email, password } = world.people.facilityStaffB1;
    const { token } = await world.anonymousCaller().auth.signInMobile({ email, password });
    // Changed behind the administration functions' back, so the cache is cleared as they do.
    await world.db.update(users).set({ active: false }).where(eq(users.id, id));
    await world.actorCache.forget(id);
    try {
      const viaBearer = await createApiContext(world, { headers: bearerHeaders(token) });
      expect(viaBearer.actor).toBeNull();
      expect((await errorOf(world.createCaller(viaBearer).coldchain.listFridges({}))).code).toBe("UNAUTHORIZED");
      const viaWeb = await createApiContext(world, {
        headers: new Headers(),
        session: { userId: id, sessionVersion: 0 },
      });
      expect(viaWeb.actor).toBeNull();
      expect((await errorOf(world.anonymousCaller().auth.signInMobile({ email, password }))).code).toBe("UNAUTHORIZED");
    } finally {
      await world.db.update(users).set({ active: true }).where(eq(users.id, id));
      await world.actorCache.forget(id);
      await world.loginThrottle.clearAccount(email);
    }
  });

  it("ends the phone session on sign-out", async () => {
    const { email, password } = world.people.districtOfficerA;
    const { token } = await world.anonymousCaller().auth.signInMobile({ email, password });
    const context = await createApiContext(world, { headers: bearerHeaders(token) });
    await world.createCaller(context).auth.signOutMobile();
    expect((await createApiContext(world, { headers: bearerHeaders(token) })).actor).toBeNull();
  });
});

/** A documentation address (RFC 5737) of its own for each test, so address limits do not mix. */
let nextHost = 1;
const testAddress = () => `198.51.100.${nextHost++}`;
const metaFrom = (ip: string | null): RequestMeta => ({ requestId: randomUUID(), ip, userAgent: "vitest" });

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "ok",
    (error: unknown) => (error instanceof AppError ? error.code : `unexpected: ${String(error)}`),
  );
}

describe("sign-in throttling", () => {
  it("gives forty concurrent wrong passwords to one account no more full checks than the limit", async () => {
    const { email } = await createUser(world.db, { orgUnit: world.units.facilityA1, role: "facility_staff" });
    let checks = 0;
    const deps = { ...world, meta: metaFrom(null), onPasswordCheck: () => (checks += 1) };
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => outcomeOf(verifyCredentials(deps, { email, password: "wrong-password" }))),
    );
    const limit = world.loginThrottle.options.freeAttempts;
    expect(checks).toBe(limit);
    expect(outcomes.filter((outcome) => outcome === "UNAUTHORIZED")).toHaveLength(limit);
    expect(outcomes.filter((outcome) => outcome === "TOO_MANY_REQUESTS")).toHaveLength(40 - limit);
  });

  it("treats an unknown account like a wrong password, throttle included", async () => {
    const email = `nobody-${randomUUID()}@test.rantai.id`;
    const deps = { ...world, meta: metaFrom(null) };
    for (let attempt = 0; attempt < world.loginThrottle.options.freeAttempts; attempt += 1) {
      expect(await outcomeOf(verifyCredentials(deps, { email, password: "wrong-password" }))).toBe("UNAUTHORIZED");
    }
    expect(await outcomeOf(verifyCredentials(deps, { email, password: "wrong-password" }))).toBe("TOO_MANY_REQUESTS");
  });

  it("throttles one password sprayed over fifteen accounts from one address, not other addresses", async () => {
    const accounts = await Promise.all(
      Array.from({ length: 15 }, () => createUser(world.db, { orgUnit: world.units.facilityA2, role: "viewer" })),
    );
    const sprayer = { ...world, meta: metaFrom(testAddress()) };
    const addressLimit = world.loginThrottle.options.addressLimit.failures;
    let tries = 0;
    let refusal: AppError | null = null;
    // Rounds of common passwords over every account: each account stays far below its own limit.
    for (const password of ["Jakarta2026!", "Welcome2026!", "Sleman2026!"]) {
      for (const { email } of accounts) {
        const error = await verifyCredentials(sprayer, { email, password }).then(
          () => null,
          (caught: unknown) => caught,
        );
        if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
        if (error.code === "TOO_MANY_REQUESTS") {
          refusal ??= error;
          continue;
        }
        expect(error.code).toBe("UNAUTHORIZED");
        tries += 1;
      }
    }
    expect(tries).toBe(addressLimit);
    expect(refusal?.message).toMatch(/from your network\. Wait \d+ seconds/);
    expect(refusal?.retryAfterSeconds).toBeGreaterThan(0);
    expect(refusal?.retryAfterSeconds).toBeLessThanOrEqual(world.loginThrottle.options.addressLimit.perSeconds);

    // The right password from that address waits too; the same account from elsewhere is served.
    const [first] = accounts;
    if (!first) throw new Error("no accounts");
    expect(await outcomeOf(verifyCredentials(sprayer, first))).toBe("TOO_MANY_REQUESTS");
    const elsewhere = { ...world, meta: metaFrom(testAddress()) };
    expect(await outcomeOf(verifyCredentials(elsewhere, first))).toBe("ok");
  });

  it("counts an IPv6 client by its /64, however often it changes address inside it", async () => {
    const attempt = (ip: string) =>
      outcomeOf(
        verifyCredentials(
          { ...world, meta: metaFrom(ip) },
          { email: `nobody-${randomUUID()}@test.rantai.id`, password: "wrong-password" },
        ),
      );
    for (let host = 1; host <= world.loginThrottle.options.addressLimit.failures; host += 1) {
      expect(await attempt(`2001:db8:7:7::${host.toString(16)}`)).toBe("UNAUTHORIZED");
    }
    expect(await attempt("2001:db8:7:7:ffff::1")).toBe("TOO_MANY_REQUESTS");
    expect(await attempt("2001:db8:7:8::1")).toBe("UNAUTHORIZED");
  });

  it("gives a successful sign-in its point back, so signing in does not use up the address", async () => {
    const user = await createUser(world.db, { orgUnit: world.units.facilityA2, role: "viewer" });
    const deps = { ...world, meta: metaFrom(testAddress()) };
    const addressLimit = world.loginThrottle.options.addressLimit.failures;
    for (let attempt = 0; attempt < addressLimit + 5; attempt += 1) {
      expect(await outcomeOf(verifyCredentials(deps, user))).toBe("ok");
    }
  });

  it("answers a throttled tRPC request with 429 and Retry-After", async () => {
    const { email } = await createUser(world.db, { orgUnit: world.units.facilityA2, role: "viewer" });
    const address = testAddress();
    const signIn = () =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        router: appRouter,
        req: new Request("http://localhost/api/trpc/auth.signInMobile", {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": address },
          body: JSON.stringify({ json: { email, password: "wrong-password" } }),
        }),
        createContext: () =>
          createApiContext(world, { headers: new Headers({ "x-forwarded-for": address }), trustedProxyHops: 1 }),
        responseMeta: retryAfterResponseMeta,
      });
    for (let attempt = 0; attempt < world.loginThrottle.options.freeAttempts; attempt += 1) {
      const response = await signIn();
      expect(response.status).toBe(401);
      expect(response.headers.get("retry-after")).toBeNull();
    }
    const throttled = await signIn();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("client address", () => {
  async function failedSignInAddress(request: { headers: Headers; trustedProxyHops?: number }) {
    const context = await createApiContext(world, request);
    const email = `nobody-${randomUUID()}@test.rantai.id`;
    await errorOf(world.createCaller(context).auth.signInMobile({ email, password: "wrong-password" }));
    const [row] = await world.db
      .select({ ip: auditLog.ip })
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in"), eq(auditLog.requestId, context.meta.requestId)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    if (!row) throw new Error("no audit row for the sign-in");
    return row.ip;
  }

  it("never records a client-supplied X-Forwarded-For without a trusted proxy", async () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.66", "x-request-id": randomUUID() });
    expect(await failedSignInAddress({ headers })).toBeNull();
    expect(await failedSignInAddress({ headers, trustedProxyHops: 0 })).toBeNull();
  });

  it("records the address the trusted proxy saw, not what the client prepended", async () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.66, 192.0.2.10", "x-request-id": randomUUID() });
    expect(await failedSignInAddress({ headers, trustedProxyHops: 1 })).toBe("192.0.2.10");
    expect(await failedSignInAddress({ headers, trustedProxyHops: 2 })).toBe("203.0.113.66");
    expect(await failedSignInAddress({ headers, trustedProxyHops: 3 })).toBeNull();
  });
});

describe("auth.setLocale", () => {
  const consoleRequest = async (userId: number) => {
    const [row] = await world.db
      .select({ sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.id, userId));
    const session = { userId, sessionVersion: row?.sessionVersion ?? -1 };
    return world.createCaller(await createApiContext(world, { headers: new Headers(), session }));
  };
  const localeAudits = (userId: number) =>
    world.db.$count(auditLog, and(eq(auditLog.actorUserId, userId), eq(auditLog.action, "auth.locale.set")));

  it("stores the user's language, seen from their next request on, and keeps their session", async () => {
    const user = await createUser(world.db, { orgUnit: world.units.districtA, role: "district_officer" });
    // The first request caches the actor, in Bahasa Indonesia, the default.
    const before = await consoleRequest(user.id);
    await expect(before.auth.me()).resolves.toMatchObject({ locale: "id" });

    await expect(before.auth.setLocale({ locale: "en" })).resolves.toEqual({ locale: "en" });
    const [stored] = await world.db.select({ locale: users.locale }).from(users).where(eq(users.id, user.id));
    expect(stored?.locale).toBe("en");
    // The cached actor was dropped after the commit: the next request reads English, same session.
    await expect((await consoleRequest(user.id)).auth.me()).resolves.toMatchObject({ locale: "en" });
    expect(await localeAudits(user.id)).toBe(1);

    // Choosing the language already stored changes and audits nothing.
    await (await consoleRequest(user.id)).auth.setLocale({ locale: "en" });
    expect(await localeAudits(user.id)).toBe(1);

    await (await consoleRequest(user.id)).auth.setLocale({ locale: "id" });
    await expect((await consoleRequest(user.id)).auth.me()).resolves.toMatchObject({ locale: "id" });
    expect(await localeAudits(user.id)).toBe(2);
  });

  it("refuses a language Rantai does not speak, and unknown fields, as invalid input", async () => {
    const caller = await world.callerFor(world.people.viewerA.id);
    for (const input of [{ locale: "fr" }, { locale: "en", userId: world.people.districtOfficerA.id }, {}]) {
      const error = await errorOf(caller.auth.setLocale(input as { locale: "en" }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(shapeSentFor(error).data.reason).toBe("input.invalid");
    }
    const [viewer] = await world.db
      .select({ locale: users.locale })
      .from(users)
      .where(eq(users.id, world.people.viewerA.id));
    expect(viewer?.locale).toBe("id");
  });
});
