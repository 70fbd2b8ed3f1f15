import { refreshFacilityColdChainSummaries } from "@rantai/core/coldchain";
import { orgUnits } from "@rantai/db";
import { createOrgUnit } from "@rantai/db/factories";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, errorOf, shapeSentFor } from "../testing";

/**
 * Administration within scope: users created by officers (never above their own rank, never
 * outside their unit), facilities, fridges and alarm thresholds. The authorization matrix
 * checks every procedure against each role and another district; these check what it cannot.
 */
let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("administration");
});
afterAll(async () => {
  await world?.destroy();
});

const password = "a-first-password-42";
let counter = 0;
const email = () => `new-user-${++counter}@dinkes.example`;

async function reasonOf(promise: Promise<unknown>) {
  const error = await errorOf(promise);
  return { code: error.code, reason: shapeSentFor(error).data.reason };
}

describe("users.create", () => {
  it("creates a user a district officer may administer, who can then sign in", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const address = email();
    const created = await officer.users.create({
      email: ` ${address.toUpperCase()} `,
      name: "Siti Rahmawati",
      role: "facility_staff",
      orgUnitId: world.units.facilityA1.id,
      password,
    });
    expect(created).toMatchObject({ role: "facility_staff", orgUnitId: world.units.facilityA1.id, active: true });
    const { token } = await world.anonymousCaller().auth.signInMobile({ email: address, password });
    expect(token).toEqual(expect.any(String));
    const listed = await officer.users.list({ orgUnitId: world.units.facilityA1.id });
    expect(listed.items.map((user) => user.email)).toContain(address);
  });

  it("refuses to grant a role as high as the officer's own or higher", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    for (const role of ["district_officer", "province_officer", "national_admin"] as const) {
      const unit = role === "district_officer" ? world.units.districtA : world.units.province;
      const refused = await reasonOf(
        officer.users.create({ email: email(), name: "Escalation", role, orgUnitId: unit.id, password }),
      );
      expect(refused, role).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
    }
  });

  it("refuses another district's unit, and a role that does not belong at the unit's level", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const input = { email: email(), name: "Elsewhere", role: "facility_staff" as const, password };
    expect(await reasonOf(officer.users.create({ ...input, orgUnitId: world.units.facilityB1.id }))).toEqual({
      code: "FORBIDDEN",
      reason: "scope.forbidden",
    });
    expect(await reasonOf(officer.users.create({ ...input, orgUnitId: world.units.districtA.id }))).toMatchObject({
      reason: "auth.role_level_mismatch",
    });
  });

  it("answers a taken email with a conflict, whatever its case", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const taken = world.people.facilityStaffA1.email.toUpperCase();
    const input = {
      email: taken,
      name: "Twin",
      role: "viewer" as const,
      orgUnitId: world.units.facilityA2.id,
      password,
    };
    expect(await reasonOf(officer.users.create(input))).toEqual({ code: "CONFLICT", reason: "auth.email_taken" });
  });

  it("refuses a weak password and unknown fields as invalid input", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const input = { email: email(), name: "Weak", role: "viewer" as const, orgUnitId: world.units.facilityA2.id };
    expect((await reasonOf(officer.users.create({ ...input, password: "short" }))).code).toBe("BAD_REQUEST");
    const withExtra = { ...input, password, active: false } as unknown as Parameters<typeof officer.users.create>[0];
    expect((await reasonOf(officer.users.create(withExtra))).code).toBe("BAD_REQUEST");
  });

  it("refuses a created user from their next request once disabled", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const address = email();
    const { userId } = await officer.users.create({
      email: address,
      name: "Short Stay",
      role: "viewer",
      orgUnitId: world.units.facilityA2.id,
      password,
    });
    const { token } = await world.anonymousCaller().auth.signInMobile({ email: address, password });
    const { createApiContext } = await import("../context");
    const headers = new Headers({ authorization: `Bearer ${token}`, "user-agent": "vitest" });
    // The first request caches the actor; disabling must clear it.
    expect((await createApiContext(world, { headers })).actor?.userId).toBe(userId);
    await officer.users.disable({ userId });
    const after = await createApiContext(world, { headers });
    expect(after.actor).toBeNull();
    expect((await errorOf(world.createCaller(after).auth.me())).code).toBe("UNAUTHORIZED");
  });
});

describe("facility administration", () => {
  it("registers a facility under a district in scope, with its own path, listed at once", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const created = await officer.orgs.createFacility({
      parentId: world.units.districtA.id,
      code: "P3404099",
      name: "Puskesmas Baru",
    });
    expect(created.path).toBe(`${world.units.districtA.path}${created.id}/`);
    const listed = await officer.orgs.listFacilities({ orgUnitId: world.units.districtA.id });
    expect(listed.items.map((facility) => facility.code)).toContain("P3404099");
    expect(
      await reasonOf(
        officer.orgs.createFacility({ parentId: world.units.districtA.id, code: "P3404099", name: "Dup" }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "orgs.code_taken" });
    expect(
      await reasonOf(
        officer.orgs.createFacility({ parentId: world.units.facilityA1.id, code: "P-X1", name: "Nested" }),
      ),
    ).toMatchObject({ reason: "orgs.parent_not_district" });
    expect(
      await reasonOf(officer.orgs.createFacility({ parentId: world.units.districtB.id, code: "P-X2", name: "Other" })),
    ).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
  });

  it("renames and moves a facility only between districts in scope", async () => {
    const facility = await createOrgUnit(world.db, { parent: world.units.districtA, level: "facility" });
    const district = await world.callerFor(world.people.districtOfficerA.id);
    expect(
      await reasonOf(district.orgs.updateFacility({ facilityId: facility.id, parentId: world.units.districtB.id })),
    ).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
    await district.orgs.updateFacility({ facilityId: facility.id, name: "Puskesmas Sleman Kota" });

    const province = await world.callerFor(world.people.provinceOfficer.id);
    await province.orgs.updateFacility({ facilityId: facility.id, parentId: world.units.districtB.id });
    const [moved] = await world.db.select().from(orgUnits).where(eq(orgUnits.id, facility.id));
    expect(moved).toMatchObject({
      name: "Puskesmas Sleman Kota",
      parentId: world.units.districtB.id,
      path: `${world.units.districtB.path}${facility.id}/`,
    });
    // Now in district B: district A's officer may no longer touch it.
    expect(await reasonOf(district.orgs.updateFacility({ facilityId: facility.id, name: "Back" }))).toEqual({
      code: "FORBIDDEN",
      reason: "scope.forbidden",
    });
    expect(
      await reasonOf(province.orgs.updateFacility({ facilityId: world.units.districtA.id, name: "Not a facility" })),
    ).toMatchObject({ reason: "orgs.not_a_facility" });
  });
});

describe("fridges and alarm thresholds", () => {
  it("counts a fridge registered at once, though the facility's cold-chain summary was just refreshed", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const facilityId = world.units.facilityA1.id;
    const fridgesOf = async () =>
      (await officer.orgs.facilities({ orgUnitId: world.units.districtA.id, limit: 100 })).items.find(
        (row) => row.id === facilityId,
      )?.coldchain.fridges;
    await refreshFacilityColdChainSummaries(world.db);
    const before = await fridgesOf();
    await officer.coldchain.registerFridge({ orgUnitId: facilityId, kind: "freezer", name: "Freezer baru" });
    expect(await fridgesOf()).toBe((before ?? 0) + 1);
  });

  it("registers a fridge, sets its heat threshold, and shows defaults beside it", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const fridge = await officer.coldchain.registerFridge({
      orgUnitId: world.units.facilityA2.id,
      kind: "refrigerator",
      name: "Kulkas ILR 2",
      serialNumber: "SN-ADMIN-1",
    });
    const before = await officer.coldchain.alarmRules({ equipmentId: fridge.equipmentId });
    expect(before.find((rule) => rule.type === "heat")).toMatchObject({
      threshold: 8,
      durationMinutes: 600,
      custom: false,
    });

    const rules = await officer.coldchain.setAlarmRule({
      equipmentId: fridge.equipmentId,
      type: "heat",
      enabled: true,
      durationMinutes: 120,
      threshold: 8.5,
    });
    expect(rules.find((rule) => rule.type === "heat")).toMatchObject({
      threshold: 8.5,
      durationMinutes: 120,
      custom: true,
    });
    expect(rules.find((rule) => rule.type === "freeze")).toMatchObject({ threshold: -0.5, custom: false });

    const again = await officer.coldchain.setAlarmRule({
      equipmentId: fridge.equipmentId,
      type: "heat",
      enabled: false,
      durationMinutes: 60,
      threshold: null,
    });
    expect(again.find((rule) => rule.type === "heat")).toMatchObject({ enabled: false, threshold: 8, custom: true });

    expect(
      (
        await reasonOf(
          officer.coldchain.setAlarmRule({
            equipmentId: fridge.equipmentId,
            type: "excursion",
            enabled: true,
            durationMinutes: 60,
            threshold: 9,
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      await reasonOf(
        officer.coldchain.registerFridge({
          orgUnitId: world.units.facilityA1.id,
          kind: "freezer",
          name: "Twin",
          serialNumber: "SN-ADMIN-1",
        }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "coldchain.serial_taken" });
  });

  it("refuses a viewer's change and another district's fridge", async () => {
    const viewer = await world.callerFor(world.people.viewerA.id);
    const equipmentId = world.fridges.facilityA1.equipmentId;
    expect((await viewer.coldchain.alarmRules({ equipmentId })).length).toBe(5);
    expect(
      await reasonOf(
        viewer.coldchain.setAlarmRule({ equipmentId, type: "freeze", enabled: true, durationMinutes: 30 }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
    const other = await world.callerFor(world.people.districtOfficerB.id);
    expect(await reasonOf(other.coldchain.fridgeSensors({ equipmentId }))).toEqual({
      code: "FORBIDDEN",
      reason: "scope.forbidden",
    });
  });
});

describe("a viewer on the administration pages", () => {
  /** Every list the administration pages read, for a unit and the fridge there. */
  const adminReads = (
    caller: Awaited<ReturnType<ApiTestWorld["callerFor"]>>,
    orgUnitId: number,
    equipmentId: number,
  ) => ({
    users: () => caller.users.list({ orgUnitId }),
    facilities: () => caller.orgs.listFacilities({ orgUnitId }),
    fridges: () => caller.coldchain.listFridges({ orgUnitId }),
    sensors: () => caller.coldchain.fridgeSensors({ equipmentId }),
    thresholds: () => caller.coldchain.alarmRules({ equipmentId }),
    levels: () => caller.stock.listStockLevels({ orgUnitId }),
  });

  it("reads every administration list in its district, and none of another district", async () => {
    const viewer = await world.callerFor(world.people.viewerA.id);
    const own = adminReads(viewer, world.units.districtA.id, world.fridges.facilityA1.equipmentId);
    expect((await own.users()).items.map((user) => user.id)).toContain(world.people.facilityStaffA1.id);
    expect((await own.users()).items.map((user) => user.id)).not.toContain(world.people.facilityStaffB1.id);
    expect((await own.facilities()).items.map((facility) => facility.id)).toContain(world.units.facilityA1.id);
    expect((await own.fridges()).items.map((fridge) => fridge.equipmentId)).toContain(
      world.fridges.facilityA1.equipmentId,
    );
    expect((await own.sensors()).length).toBeGreaterThan(0);
    expect((await own.thresholds()).length).toBe(5);
    await expect(own.levels()).resolves.toBeDefined();

    const other = adminReads(viewer, world.units.districtB.id, world.fridges.facilityB1.equipmentId);
    for (const [list, read] of Object.entries(other)) {
      expect(await reasonOf(read()), list).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
    }
  });

  it("is refused every administration change, even in its own district", async () => {
    const viewer = await world.callerFor(world.people.viewerA.id);
    const equipmentId = world.fridges.facilityA1.equipmentId;
    const changes = {
      createUser: () =>
        viewer.users.create({
          email: email(),
          name: "By a viewer",
          role: "viewer",
          orgUnitId: world.units.facilityA1.id,
          password,
        }),
      disableUser: () => viewer.users.disable({ userId: world.people.facilityStaffA1.id }),
      createFacility: () =>
        viewer.orgs.createFacility({
          parentId: world.units.districtA.id,
          facilityType: "puskesmas",
          code: "VIEWER-1",
          name: "Puskesmas Viewer",
        }),
      renameFacility: () => viewer.orgs.updateFacility({ facilityId: world.units.facilityA1.id, name: "Renamed" }),
      registerFridge: () =>
        viewer.coldchain.registerFridge({
          orgUnitId: world.units.facilityA1.id,
          kind: "refrigerator",
          name: "By a viewer",
        }),
      registerSensor: () => viewer.coldchain.sensors.register({ equipmentId, deviceId: `VIEWER-${process.pid}` }),
    };
    for (const [change, call] of Object.entries(changes)) {
      expect(await reasonOf(call()), change).toEqual({ code: "FORBIDDEN", reason: "scope.forbidden" });
    }
  });
});
