import { auditLog } from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forbiddenMessage } from "./errors";
import { appRouter } from "./root";
import { type ApiTestWorld, createApiTestWorld } from "./testing";

/**
 * Every procedure of the API is listed here with how it is scoped. The first test fails when a
 * procedure is added without an entry, so no procedure ships without an authorization test.
 */
type Caller = Awaited<ReturnType<ApiTestWorld["callerFor"]>>;
type MatrixEntry =
  | { kind: "public" }
  | { kind: "self"; call: (caller: Caller) => Promise<unknown> }
  | { kind: "scoped"; call: (caller: Caller, orgUnitId: number) => Promise<unknown> };

const matrix: Record<string, MatrixEntry> = {
  "auth.signInMobile": { kind: "public" },
  "auth.me": { kind: "self", call: (caller) => caller.auth.me() },
  "auth.signOutMobile": { kind: "self", call: (caller) => caller.auth.signOutMobile() },
  "orgs.tree": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.tree({ rootId: orgUnitId }) },
  "orgs.listFacilities": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.listFacilities({ orgUnitId }) },
  "coldchain.listFridges": { kind: "scoped", call: (caller, orgUnitId) => caller.coldchain.listFridges({ orgUnitId }) },
};

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("authz");
});
afterAll(async () => {
  await world?.destroy();
});

async function expectCode(promise: Promise<unknown>, code: TRPCError["code"]) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

describe("authorization matrix", () => {
  it("lists every procedure of the API, and only those", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(matrix).sort());
  });

  it("refuses every non-public procedure to an anonymous caller", async () => {
    const caller = world.anonymousCaller();
    for (const [path, entry] of Object.entries(matrix)) {
      if (entry.kind === "public") continue;
      const call = entry.kind === "self" ? entry.call(caller) : entry.call(caller, world.units.facilityA1.id);
      await expectCode(call, "UNAUTHORIZED").catch((error: unknown) => {
        throw new Error(`${path}: ${String(error)}`);
      });
    }
  });

  // Each role, its own unit, and a unit outside its scope (a sibling or the parent).
  const cases = () =>
    [
      {
        who: "facility staff",
        user: world.people.facilityStaffA1,
        own: world.units.facilityA1,
        other: world.units.facilityB1,
      },
      {
        who: "facility staff (sibling)",
        user: world.people.facilityStaffA1,
        own: world.units.facilityA1,
        other: world.units.facilityA2,
      },
      {
        who: "district officer",
        user: world.people.districtOfficerA,
        own: world.units.districtA,
        other: world.units.districtB,
      },
      {
        who: "district officer (child of other)",
        user: world.people.districtOfficerB,
        own: world.units.facilityB1,
        other: world.units.facilityA1,
      },
      { who: "viewer", user: world.people.viewerA, own: world.units.facilityA2, other: world.units.facilityB1 },
      {
        who: "province officer",
        user: world.people.provinceOfficer,
        own: world.units.districtB,
        other: world.units.national,
      },
    ] as const;

  for (const [path, entry] of Object.entries(matrix)) {
    if (entry.kind !== "scoped") continue;
    it(`${path}: allows the caller's own scope and refuses another, auditing the refusal`, async () => {
      for (const { who, user, own, other } of cases()) {
        const caller = await world.callerFor(user.id);
        await expect(entry.call(caller, own.id), `${who} on own unit`).resolves.toBeDefined();

        const deniedBefore = await deniedCount(user.id);
        const error = await expectCode(entry.call(caller, other.id), "FORBIDDEN");
        expect(error.message).toBe(forbiddenMessage);
        expect(await deniedCount(user.id), `${who}: refusal audited`).toBe(deniedBefore + 1);
      }
    });

    it(`${path}: refuses an org unit id that does not exist exactly like one out of scope`, async () => {
      const caller = await world.callerFor(world.people.nationalAdmin.id);
      const error = await expectCode(entry.call(caller, 999_999), "FORBIDDEN");
      expect(error.message).toBe(forbiddenMessage);
    });
  }
});

async function deniedCount(userId: number): Promise<number> {
  const [row] = await world.db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, userId), eq(auditLog.outcome, "denied")));
  return row?.n ?? 0;
}
