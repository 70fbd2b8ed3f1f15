import { forbiddenMessage, rolesHolding } from "@rantai/core/kernel";
import { createAlarmUnder, createSensorFixtureAt, uniqueDeviceId } from "@rantai/core/testing";
import { auditLog, type OrgUnit, orgUnits, type Role } from "@rantai/db";
import { createOrgUnit, createUser } from "@rantai/db/factories";
import { TRPCError } from "@trpc/server";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadedPhoto } from "./distribution/photo-fixtures";
import { appRouter } from "./root";
import { createMatrixStock, type MatrixStock, newKey } from "./stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld } from "./testing";

/**
 * Every procedure of the API is listed here with how it is scoped. The first test fails when a
 * procedure is added without an entry, so no procedure ships without an authorization test.
 */
type Caller = Awaited<ReturnType<ApiTestWorld["callerFor"]>>;
type MatrixEntry =
  | { kind: "public" }
  | { kind: "self"; call: (caller: Caller) => Promise<unknown> }
  /** `roles`: only these roles may call it; the others are refused (and audited) even on their own unit. */
  | { kind: "scoped"; call: (caller: Caller, orgUnitId: number) => Promise<unknown>; roles?: readonly Role[] }
  /**
   * Scoped by a nested id (shipment, request, ledger entry): `prepare` makes one whose acting side
   * is the given unit, and the caller may use only its own units' ids. `roles` as for "scoped".
   */
  | {
      kind: "entity";
      prepare: (unit: OrgUnit) => Promise<number>;
      call: (caller: Caller, id: number) => Promise<unknown>;
      roles?: readonly Role[];
    };

/** The roles allowed each kind of change, read from the one table of rights (kernel/authorization). */
const userAdminRoles = rolesHolding("auth.users.manage");
const alarmAcknowledgerRoles = rolesHolding("coldchain.alarms.acknowledge");
const sensorAdminRoles = rolesHolding("coldchain.sensors.manage");
const stockWriterRoles = rolesHolding("stock.write");
const stockLevelRoles = rolesHolding("stock.levels.manage");
const distributionWriterRoles = rolesHolding("distribution.write");
const orgAdminRoles = rolesHolding("orgs.manage");
const equipmentAdminRoles = rolesHolding("coldchain.equipment.manage");

/** A user (a viewer: a role any unit level may hold) for the user-administration entries. */
const userAt = async (unit: OrgUnit) => (await createUser(world.db, { orgUnit: unit, role: "viewer" })).id;

/** A subscription's first message; leaving the loop ends the stream. */
async function firstMessageOf<T>(stream: AsyncIterable<T>): Promise<T | undefined> {
  for await (const message of stream) return message;
  return undefined;
}

let matrixCounter = 0;
/** A name or code no other entry uses. */
const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++matrixCounter}`;

/** The district a unit belongs to (the unit itself when it is one): where facilities are registered. */
async function districtOf(orgUnitId: number): Promise<OrgUnit | undefined> {
  const [unit] = await world.db.select().from(orgUnits).where(eq(orgUnits.id, orgUnitId)).limit(1);
  if (unit?.level !== "facility" || unit.parentId === null) return unit;
  const [parent] = await world.db.select().from(orgUnits).where(eq(orgUnits.id, unit.parentId)).limit(1);
  return parent;
}

/** Stock for the stock and distribution entries, made in beforeAll. */
let stock: MatrixStock;
const key = () => ({ idempotencyKey: newKey() });

const matrix: Record<string, MatrixEntry> = {
  "app.compatibility": { kind: "public" },
  "auth.signInMobile": { kind: "public" },
  "auth.me": { kind: "self", call: (caller) => caller.auth.me() },
  "auth.signOutMobile": { kind: "self", call: (caller) => caller.auth.signOutMobile() },
  "auth.setLocale": { kind: "self", call: (caller) => caller.auth.setLocale({ locale: "en" }) },
  "users.list": { kind: "scoped", call: (caller, orgUnitId) => caller.users.list({ orgUnitId }) },
  "users.create": {
    kind: "scoped",
    roles: userAdminRoles,
    call: (caller, orgUnitId) =>
      caller.users.create({
        orgUnitId,
        role: "viewer",
        name: "Matrix Viewer",
        email: `${uniqueName("matrix")}@example.test`,
        password: "matrix-test-password-7",
      }),
  },
  "users.disable": {
    kind: "entity",
    roles: userAdminRoles,
    prepare: (unit) => userAt(unit),
    call: (caller, userId) => caller.users.disable({ userId }),
  },
  "users.enable": {
    kind: "entity",
    roles: userAdminRoles,
    prepare: (unit) => userAt(unit),
    call: (caller, userId) => caller.users.enable({ userId }),
  },
  "users.resetPassword": {
    kind: "entity",
    roles: userAdminRoles,
    prepare: (unit) => userAt(unit),
    call: (caller, userId) => caller.users.resetPassword({ userId, newPassword: "matrix-test-password-7" }),
  },
  "users.reassign": {
    kind: "entity",
    roles: userAdminRoles,
    prepare: (unit) => userAt(unit),
    call: (caller, userId) => caller.users.reassign({ userId, role: "viewer" }),
  },
  "orgs.tree": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.tree({ rootId: orgUnitId }) },
  "orgs.listFacilities": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.listFacilities({ orgUnitId }) },
  "orgs.overview": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.overview({ orgUnitId }) },
  "orgs.facilities": { kind: "scoped", call: (caller, orgUnitId) => caller.orgs.facilities({ orgUnitId }) },
  "orgs.facility": {
    kind: "entity",
    prepare: async (unit) =>
      unit.level === "facility" ? unit.id : (await createOrgUnit(world.db, { parent: unit, level: "facility" })).id,
    call: (caller, facilityId) => caller.orgs.facility({ facilityId }),
  },
  "orgs.createFacility": {
    kind: "scoped",
    roles: orgAdminRoles,
    call: async (caller, orgUnitId) => {
      const parentId = (await districtOf(orgUnitId))?.id ?? orgUnitId;
      return caller.orgs.createFacility({ parentId, code: uniqueName("MTX"), name: "Puskesmas Matrix" });
    },
  },
  "orgs.updateFacility": {
    kind: "entity",
    roles: orgAdminRoles,
    prepare: async (unit) => {
      const parent = (await districtOf(unit.id)) ?? unit;
      return (await createOrgUnit(world.db, { parent, level: "facility" })).id;
    },
    call: (caller, facilityId) => caller.orgs.updateFacility({ facilityId, name: "Puskesmas Renamed" }),
  },
  "coldchain.registerFridge": {
    kind: "scoped",
    roles: equipmentAdminRoles,
    call: (caller, orgUnitId) =>
      caller.coldchain.registerFridge({ orgUnitId, kind: "refrigerator", name: "Matrix fridge" }),
  },
  "coldchain.fridgeSensors": {
    kind: "scoped",
    call: async (caller, orgUnitId) => {
      const { equipmentId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.fridgeSensors({ equipmentId });
    },
  },
  "coldchain.alarmRules": {
    kind: "scoped",
    call: async (caller, orgUnitId) => {
      const { equipmentId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.alarmRules({ equipmentId });
    },
  },
  "coldchain.setAlarmRule": {
    kind: "scoped",
    roles: equipmentAdminRoles,
    call: async (caller, orgUnitId) => {
      const { equipmentId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.setAlarmRule({
        equipmentId,
        type: "heat",
        enabled: true,
        durationMinutes: 300,
        threshold: 8.5,
      });
    },
  },
  "coldchain.listFridges": { kind: "scoped", call: (caller, orgUnitId) => caller.coldchain.listFridges({ orgUnitId }) },
  "coldchain.temperatureSeries": {
    kind: "entity",
    prepare: async (unit) => (await createSensorFixtureAt(world.db, unit.id)).equipmentId,
    call: (caller, equipmentId) =>
      caller.coldchain.temperatureSeries({ equipmentId, from: new Date(Date.now() - 86_400_000), to: new Date() }),
  },
  "coldchain.alarmHistory": {
    kind: "scoped",
    call: (caller, orgUnitId) => caller.coldchain.alarmHistory({ orgUnitId }),
  },
  "coldchain.alarms.list": { kind: "scoped", call: (caller, orgUnitId) => caller.coldchain.alarms.list({ orgUnitId }) },
  "coldchain.alarms.watch": {
    kind: "scoped",
    // Authorized when the stream starts: the first message (`ready`) or the refusal.
    call: async (caller, orgUnitId) => firstMessageOf(await caller.coldchain.alarms.watch({ orgUnitId })),
  },
  "coldchain.alarms.assignees": {
    kind: "entity",
    roles: alarmAcknowledgerRoles,
    prepare: (unit) => createAlarmUnder(world.db, unit),
    call: (caller, alarmId) => caller.coldchain.alarms.assignees({ alarmId }),
  },
  "coldchain.alarms.assign": {
    kind: "entity",
    roles: alarmAcknowledgerRoles,
    prepare: (unit) => createAlarmUnder(world.db, unit),
    call: (caller, alarmId) => caller.coldchain.alarms.assign({ alarmId, assigneeUserId: null }),
  },
  "coldchain.alarms.get": {
    kind: "entity",
    prepare: (unit) => createAlarmUnder(world.db, unit),
    call: (caller, alarmId) => caller.coldchain.alarms.get({ alarmId }),
  },
  "coldchain.alarms.acknowledge": {
    kind: "entity",
    roles: alarmAcknowledgerRoles,
    prepare: (unit) => createAlarmUnder(world.db, unit),
    call: (caller, alarmId) => caller.coldchain.alarms.acknowledge({ alarmId, comment: "Checked the fridge" }),
  },
  "coldchain.sensors.register": {
    kind: "scoped",
    roles: sensorAdminRoles,
    call: async (caller, orgUnitId) => {
      const { equipmentId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.sensors.register({ equipmentId, deviceId: uniqueDeviceId() });
    },
  },
  "coldchain.sensors.rotateCredential": {
    kind: "scoped",
    roles: sensorAdminRoles,
    call: async (caller, orgUnitId) => {
      const { sensorId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.sensors.rotateCredential({ sensorId });
    },
  },
  "coldchain.sensors.setActive": {
    kind: "scoped",
    roles: sensorAdminRoles,
    call: async (caller, orgUnitId) => {
      const { sensorId } = await createSensorFixtureAt(world.db, orgUnitId);
      return caller.coldchain.sensors.setActive({ sensorId, active: false });
    },
  },

  "stock.listItems": { kind: "self", call: (caller) => caller.stock.listItems({}) },
  "stock.listBalances": { kind: "scoped", call: (caller, orgUnitId) => caller.stock.listBalances({ orgUnitId }) },
  "stock.listLedger": { kind: "scoped", call: (caller, orgUnitId) => caller.stock.listLedger({ orgUnitId }) },
  "stock.facilitySummary": { kind: "scoped", call: (caller, orgUnitId) => caller.stock.facilitySummary({ orgUnitId }) },
  "stock.consumptionTrend": {
    kind: "scoped",
    call: (caller, orgUnitId) => caller.stock.consumptionTrend({ orgUnitId }),
  },
  "stock.stockAtRisk": { kind: "scoped", call: (caller, orgUnitId) => caller.stock.stockAtRisk({ orgUnitId }) },
  "stock.listStockLevels": { kind: "scoped", call: (caller, orgUnitId) => caller.stock.listStockLevels({ orgUnitId }) },
  "stock.setStockLevel": {
    kind: "scoped",
    roles: stockLevelRoles,
    // Every unit holds facility-level stores in its scope (a facility holds itself).
    call: (caller, orgUnitId) =>
      caller.stock.setStockLevel({ orgUnitId, level: "facility", itemId: stock.item.id, minMonths: 1, maxMonths: 2 }),
  },
  "stock.recordReceipt": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: (caller, orgUnitId) =>
      caller.stock.recordReceipt({
        ...key(),
        orgUnitId,
        supplierName: "UNICEF SD",
        lines: [
          {
            itemId: stock.item.id,
            lotNumber: `RCPT-${newKey().slice(0, 8)}`,
            expiryDate: "2030-12-31",
            manufacturer: "Bio Farma",
            doses: stock.item.dosesPerVial,
            vvmStage: 1,
          },
        ],
      }),
  },
  "stock.recordUsage": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: (caller, orgUnitId) =>
      caller.stock.recordUsage({
        ...key(),
        orgUnitId,
        lines: [{ batchId: stock.batchId, vialsOpened: 1, dosesAdministered: 9 }],
      }),
  },
  "sync.push": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: (caller, orgUnitId) =>
      caller.sync.push({
        orgUnitId,
        client: { clientId: newKey(), platform: "android" },
        actions: [
          {
            mutationId: 1,
            kind: "stock.recordDiscard",
            clientTime: new Date(),
            input: { ...key(), orgUnitId, lines: [{ batchId: stock.batchId, vials: 1, reason: "broken" }] },
          },
        ],
      }),
  },
  "sync.pull": { kind: "scoped", call: (caller, orgUnitId) => caller.sync.pull({ orgUnitId }) },
  "stock.recordDiscard": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: (caller, orgUnitId) =>
      caller.stock.recordDiscard({
        ...key(),
        orgUnitId,
        lines: [{ batchId: stock.batchId, vials: 1, reason: "broken" }],
      }),
  },
  "stock.recordAdjustment": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: (caller, orgUnitId) =>
      caller.stock.recordAdjustment({
        ...key(),
        orgUnitId,
        batchId: stock.batchId,
        doses: stock.item.dosesPerVial,
        reason: "found",
        note: "Found during the matrix test",
      }),
  },
  "stock.recordStockCount": {
    kind: "scoped",
    roles: stockWriterRoles,
    call: async (caller, orgUnitId) =>
      caller.stock.recordStockCount({
        ...key(),
        orgUnitId,
        lines: [{ batchId: stock.batchId, countedDoses: await stock.balanceAt(orgUnitId) }],
      }),
  },
  "stock.reverseEntry": {
    kind: "entity",
    roles: stockWriterRoles,
    prepare: (unit) => stock.entryAt(unit),
    call: (caller, entryId) => caller.stock.reverseEntry({ ...key(), entryId, reason: "data_entry_error", note: "x" }),
  },
  "distribution.createRequest": {
    kind: "scoped",
    roles: distributionWriterRoles,
    call: (caller, requesterOrgUnitId) =>
      caller.distribution.createRequest({
        ...key(),
        requesterOrgUnitId,
        lines: [{ itemId: stock.item.id, requestedDoses: stock.item.dosesPerVial }],
      }),
  },
  "distribution.approveRequest": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.requestWith(unit, "supplier"),
    call: (caller, requestId) => caller.distribution.approveRequest({ ...key(), requestId }),
  },
  "distribution.rejectRequest": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.requestWith(unit, "supplier"),
    call: (caller, requestId) => caller.distribution.rejectRequest({ ...key(), requestId, reason: "Not this month" }),
  },
  "distribution.listRequests": {
    kind: "scoped",
    call: (caller, orgUnitId) => caller.distribution.listRequests({ orgUnitId }),
  },
  "distribution.getRequest": {
    kind: "entity",
    prepare: (unit) => stock.requestWith(unit, "requester"),
    call: (caller, requestId) => caller.distribution.getRequest({ requestId }),
  },
  "distribution.proposeAllocation": {
    kind: "scoped",
    call: (caller, senderOrgUnitId) =>
      caller.distribution.proposeAllocation({ senderOrgUnitId, lines: [{ itemId: stock.item.id, doses: 10 }] }),
  },
  "distribution.proposePushAllocation": {
    kind: "scoped",
    call: (caller, senderOrgUnitId) =>
      caller.distribution.proposePushAllocation({
        senderOrgUnitId,
        shipments: [
          { receiverOrgUnitId: stock.childOf(senderOrgUnitId).id, lines: [{ itemId: stock.item.id, doses: 10 }] },
        ],
      }),
  },
  "distribution.createShipment": {
    kind: "scoped",
    roles: distributionWriterRoles,
    call: (caller, senderOrgUnitId) =>
      caller.distribution.createShipment({
        ...key(),
        senderOrgUnitId,
        receiverOrgUnitId: stock.childOf(senderOrgUnitId).id,
        lines: [{ batchId: stock.batchId, doses: stock.item.dosesPerVial }],
      }),
  },
  "distribution.allocate": {
    kind: "scoped",
    roles: distributionWriterRoles,
    call: (caller, senderOrgUnitId) =>
      caller.distribution.allocate({
        ...key(),
        senderOrgUnitId,
        shipments: [
          {
            receiverOrgUnitId: stock.childOf(senderOrgUnitId).id,
            lines: [{ batchId: stock.batchId, doses: stock.item.dosesPerVial }],
          },
        ],
      }),
  },
  "distribution.editDraftShipment": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.shipmentFrom(unit),
    call: (caller, shipmentId) =>
      caller.distribution.editDraftShipment({
        ...key(),
        shipmentId,
        lines: [{ batchId: stock.batchId, doses: stock.item.dosesPerVial }],
      }),
  },
  "distribution.dispatchShipment": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.shipmentFrom(unit),
    call: (caller, shipmentId) => caller.distribution.dispatchShipment({ ...key(), shipmentId }),
  },
  "distribution.receiveShipment": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.shipmentTo(unit),
    call: (caller, shipmentId) => caller.distribution.receiveShipment({ ...key(), shipmentId }),
  },
  "distribution.cancelShipment": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.shipmentFrom(unit),
    call: (caller, shipmentId) => caller.distribution.cancelShipment({ ...key(), shipmentId, reason: "Entered twice" }),
  },
  "distribution.requestPhotoUpload": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: (unit) => stock.shipmentTo(unit),
    call: (caller, shipmentId) =>
      caller.distribution.requestPhotoUpload({ ...key(), shipmentId, contentType: "image/jpeg", byteSize: 2048 }),
  },
  "distribution.confirmPhotoUpload": {
    kind: "entity",
    roles: distributionWriterRoles,
    prepare: async (unit) => uploadedPhoto(world, await stock.shipmentTo(unit)),
    call: (caller, photoId) => caller.distribution.confirmPhotoUpload({ photoId }),
  },
  "distribution.listShipmentPhotos": {
    kind: "entity",
    prepare: (unit) => stock.shipmentTo(unit),
    call: (caller, shipmentId) => caller.distribution.listShipmentPhotos({ shipmentId }),
  },
  "distribution.listShipments": {
    kind: "scoped",
    call: (caller, orgUnitId) => caller.distribution.listShipments({ orgUnitId }),
  },
  "reports.view": {
    kind: "scoped",
    call: (caller, orgUnitId) => caller.reports.view({ report: "stock_on_hand", orgUnitId }),
  },
  "reports.requestExport": {
    kind: "scoped",
    call: (caller, orgUnitId) =>
      caller.reports.requestExport({ report: "stock_status", format: "csv", orgUnitId, requestKey: newKey() }),
  },
  // Exports are their owner's only; reports/reports.integration-test.ts shows another user refused.
  "reports.export": {
    kind: "self",
    call: async (caller) => {
      const exported = await caller.reports.requestExport({
        report: "stock_on_hand",
        format: "csv",
        requestKey: newKey(),
      });
      return caller.reports.export({ id: exported.id });
    },
  },
  "reports.exports": { kind: "self", call: (caller) => caller.reports.exports() },
  "distribution.getShipment": {
    kind: "entity",
    prepare: (unit) => stock.shipmentFrom(unit),
    call: (caller, shipmentId) => caller.distribution.getShipment({ shipmentId }),
  },
};

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("authz");
  stock = await createMatrixStock(world);
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
        if (entry.roles && !entry.roles.includes(user.role)) {
          const refusedBefore = await deniedCount(user.id);
          await expectCode(entry.call(caller, own.id), "FORBIDDEN");
          expect(await deniedCount(user.id), `${who}: role refusal audited`).toBe(refusedBefore + 1);
        } else {
          await expect(entry.call(caller, own.id), `${who} on own unit`).resolves.toBeDefined();
        }

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

  /** FORBIDDEN with the one message, and one more denial in the audit log. */
  async function expectAuditedRefusal(userId: number, call: () => Promise<unknown>, what: string) {
    const deniedBefore = await deniedCount(userId);
    const error = await expectCode(call(), "FORBIDDEN");
    expect(error.message).toBe(forbiddenMessage);
    expect(await deniedCount(userId), `${what}: refusal audited`).toBe(deniedBefore + 1);
  }

  for (const [path, entry] of Object.entries(matrix)) {
    if (entry.kind !== "entity") continue;
    it(`${path}: allows ids on the caller's own side, refuses another side's, auditing refusals`, async () => {
      for (const { who, user, own, other } of cases()) {
        const caller = await world.callerFor(user.id);
        const ownId = await entry.prepare(own);
        if (entry.roles && !entry.roles.includes(user.role)) {
          await expectAuditedRefusal(user.id, () => entry.call(caller, ownId), `${who}: role`);
        } else {
          await expect(entry.call(caller, ownId), `${who} on own unit's`).resolves.toBeDefined();
        }
        const otherId = await entry.prepare(other);
        await expectAuditedRefusal(user.id, () => entry.call(caller, otherId), `${who} on another unit's`);
      }
    });

    it(`${path}: refuses an id that does not exist exactly like one out of scope`, async () => {
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
