import { createTestAlarm } from "@rantai/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, newKey, receiveLot, stockContextFor, type TestItem } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld } from "../testing";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let world: ApiTestWorld;
let vaccine: TestItem;
let batchId: number;

beforeAll(async () => {
  world = await createApiTestWorld("fhistory");
  vaccine = await createItem(world.db, { dosesPerVial: 10 });
  const staff = await stockContextFor(world, world.people.facilityStaffA1.id);
  const facilityId = world.units.facilityA1.id;
  // 200 doses arrive 10 days ago; 150 are used 2 days ago, 30 of them given this month.
  batchId = await receiveLot(staff, facilityId, vaccine, 200, { occurredAt: new Date(Date.now() - 10 * DAY) });
  const caller = await world.callerFor(world.people.facilityStaffA1.id);
  await caller.stock.recordUsage({
    idempotencyKey: newKey(),
    orgUnitId: facilityId,
    occurredAt: new Date(Date.now() - 2 * DAY),
    lines: [{ batchId, vialsOpened: 15, dosesAdministered: 140 }],
  });
  const fridge = { ...world.fridges.facilityA1, facilityId };
  // A heat alarm before the usage (200 doses at risk) and a freeze alarm after it (50).
  await createTestAlarm(world.db, fridge, {
    type: "heat",
    status: "resolved",
    startedAt: new Date(Date.now() - 5 * DAY),
  });
  await createTestAlarm(world.db, fridge, { type: "freeze", status: "open", startedAt: new Date(Date.now() - DAY) });
});
afterAll(async () => {
  await world?.destroy();
});

describe("coldchain.alarmHistory", () => {
  it("gives each alarm the stock at risk as it stood when the alarm started", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const { items } = await caller.coldchain.alarmHistory({ orgUnitId: world.units.facilityA1.id });
    expect(items.map((alarm) => alarm.type)).toEqual(["freeze", "heat"]);
    const [freeze, heat] = items;
    expect(freeze?.stockAtRisk).toMatchObject({ totalDoses: 50, items: [{ itemId: vaccine.id, doses: 50 }] });
    expect(heat?.stockAtRisk).toMatchObject({ totalDoses: 200, items: [{ itemId: vaccine.id, doses: 200 }] });
    expect(heat?.stockAtRisk.items[0]?.batches).toEqual([expect.objectContaining({ batchId, doses: 200 })]);
  });

  it("pages newest first and shows another facility's page nothing of this one", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const first = await caller.coldchain.alarmHistory({ orgUnitId: world.units.facilityA1.id, limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await caller.coldchain.alarmHistory({
      orgUnitId: world.units.facilityA1.id,
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((alarm) => alarm.type)).toEqual(["heat"]);
    const elsewhere = await caller.coldchain.alarmHistory({ orgUnitId: world.units.facilityA2.id });
    expect(elsewhere.items).toEqual([]);
  });
});

describe("stock.consumptionTrend", () => {
  it("counts consumption and wastage in the month they happened, zero in the months before", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const trend = await caller.stock.consumptionTrend({ orgUnitId: world.units.facilityA1.id, months: 3 });
    expect(trend.months).toHaveLength(3);
    const usageMonth = new Date(Date.now() - 2 * DAY + 7 * HOUR).toISOString().slice(0, 7);
    const [item] = trend.items;
    expect(item?.itemId).toBe(vaccine.id);
    for (const month of item?.months ?? []) {
      const expected =
        month.month === usageMonth
          ? { consumedDoses: 150, dosesAdministered: 140, wastedDoses: 10 }
          : { consumedDoses: 0, dosesAdministered: 0, wastedDoses: 0 };
      expect(month, month.month).toMatchObject(expected);
    }
    expect(item?.months.map((month) => month.month)).toContain(usageMonth);
  });
});

describe("stock.listLedger and listBalances for the facility page", () => {
  it("names each entry's item and says why a lot is unusable", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const ledger = await caller.stock.listLedger({ orgUnitId: world.units.facilityA1.id });
    expect(ledger.items[0]).toMatchObject({ itemName: vaccine.name, itemCode: vaccine.code, movementType: "usage" });
    const staff = await stockContextFor(world, world.people.facilityStaffA1.id);
    await receiveLot(staff, world.units.facilityA1.id, vaccine, 20, { vvmStage: 3 });
    const lots = await caller.stock.listBalances({ orgUnitId: world.units.facilityA1.id });
    expect(lots.items.map((lot) => lot.unusableCause).sort()).toEqual([null, "vvm_discard_point"].sort());
  });
});
