import { users } from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiContext } from "../context";
import { type ApiTestWorld, createApiTestWorld } from "../testing";
import { invalidCredentialsMessage } from "./credentials";
import { clearFailedAttempts, defaultLoginThrottle } from "./login-throttle";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("auth");
});
afterAll(async () => {
  await world?.destroy();
});

const bearerHeaders = (token: string) => new Headers({ authorization: `Bearer ${token}`, "user-agent": "vitest" });

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

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

  it("answers a wrong password and an unknown account the same way", async () => {
    const caller = world.anonymousCaller();
    const wrong = await errorOf(caller.auth.signInMobile({ email: world.people.viewerA.email, password: "nope-nope" }));
    const unknown = await errorOf(caller.auth.signInMobile({ email: "nobody@test.rantai.id", password: "nope-nope" }));
    expect(wrong.code).toBe("UNAUTHORIZED");
    expect(unknown.code).toBe("UNAUTHORIZED");
    expect(wrong.message).toBe(invalidCredentialsMessage);
    expect(unknown.message).toBe(invalidCredentialsMessage);
    await clearFailedAttempts(world.redis, world.people.viewerA.email);
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
    for (let attempt = 0; attempt < defaultLoginThrottle.freeAttempts; attempt += 1) {
      expect((await errorOf(caller.auth.signInMobile({ email, password: "wrong-password" }))).code).toBe(
        "UNAUTHORIZED",
      );
    }
    // Even the right password is refused while the delay runs.
    const throttled = await errorOf(caller.auth.signInMobile({ email, password }));
    expect(throttled.code).toBe("TOO_MANY_REQUESTS");
    expect(throttled.message).toMatch(/Wait \d+ seconds/);
    await clearFailedAttempts(world.redis, email);
    await expect(caller.auth.signInMobile({ email, password })).resolves.toBeDefined();
  });

  it("stops a disabled user's existing token and web session on the next request", async () => {
    const { id, email, password } = world.people.facilityStaffB1;
    const { token } = await world.anonymousCaller().auth.signInMobile({ email, password });
    await world.db.update(users).set({ active: false }).where(eq(users.id, id));
    try {
      const viaBearer = await createApiContext(world, { headers: bearerHeaders(token) });
      expect(viaBearer.actor).toBeNull();
      expect((await errorOf(world.createCaller(viaBearer).coldchain.listFridges({}))).code).toBe("UNAUTHORIZED");
      const viaWeb = await createApiContext(world, { headers: new Headers(), sessionUserId: id });
      expect(viaWeb.actor).toBeNull();
      expect((await errorOf(world.anonymousCaller().auth.signInMobile({ email, password }))).code).toBe("UNAUTHORIZED");
    } finally {
      await world.db.update(users).set({ active: true }).where(eq(users.id, id));
      await clearFailedAttempts(world.redis, email);
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
