import type { DomainContext } from "@rantai/core/kernel";
import { recordDiscard } from "@rantai/core/stock";
import { createTestAlarm } from "@rantai/core/testing";
import { type AlarmType, type ItemKind, items } from "@rantai/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../testing";
import { dateInDays, newKey, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

/**
 * One fridge, two views: what `coldchain.alarms.get` shows as the stock an alarm threatens and
 * what `stock.stockAtRisk` shows for the same facility are one calculation. The facility holds
 * (doses):
 *   OPV     (vaccine, VVM2, not freeze-sensitive)  400 usable
 *   PENTA   (vaccine, VVM14, freeze-sensitive)     200 usable + 90 expired + 60 at VVM stage 3
 *   DIL     (diluent, freeze-sensitive)             30 usable
 *   SYR     (syringe)                              500 usable
 *   BCG     (vaccine, VVM30)                         0 (received, then all discarded)
 * Heat threatens the usable vaccines: 400 + 200 = 600. Freezing threatens the usable
 * freeze-sensitive items: 200 + 30 = 230. Expired, discard-point and empty lots count nowhere.
 */
let world: ApiTestWorld;
let admin: DomainContext;
const facility = () => world.units.facilityA1;

async function createKind(
  code: string,
  kind: ItemKind,
  facts: { freezeSensitive: boolean; vvmType: "VVM2" | "VVM14" | "VVM30" | "none" },
): Promise<TestItem> {
  const [created] = await world.db.insert(items).values({
    code,
    name: code,
    kind,
    dosesPerVial: 10,
    freezeSensitive: facts.freezeSensitive,
    vvmType: facts.vvmType,
    openVialPolicy: "keep_28_days",
  });
  return { id: created.insertId, code, name: code, dosesPerVial: 10 };
}

beforeAll(async () => {
  world = await createApiTestWorld("stock_at_risk");
  admin = await stockContextFor(world, world.people.nationalAdmin.id);
  const opv = await createKind("OPV", "vaccine", { freezeSensitive: false, vvmType: "VVM2" });
  const penta = await createKind("PENTA", "vaccine", { freezeSensitive: true, vvmType: "VVM14" });
  const diluent = await createKind("DIL", "diluent", { freezeSensitive: true, vvmType: "none" });
  const syringe = await createKind("SYR", "syringe", { freezeSensitive: false, vvmType: "none" });
  const bcg = await createKind("BCG", "vaccine", { freezeSensitive: false, vvmType: "VVM30" });
  const store = facility().id;
  await receiveLot(admin, store, opv, 400);
  await receiveLot(admin, store, penta, 200);
  await receiveLot(admin, store, penta, 90, { expiryDate: dateInDays(-1) });
  await receiveLot(admin, store, penta, 60, { vvmStage: 3 });
  await receiveLot(admin, store, diluent, 30);
  await receiveLot(admin, store, syringe, 500);
  const emptied = await receiveLot(admin, store, bcg, 20);
  await recordDiscard(admin, {
    idempotencyKey: newKey(),
    orgUnitId: store,
    lines: [{ batchId: emptied, vials: 2, reason: "broken" }],
  });
});
afterAll(async () => {
  await world?.destroy();
});

async function alarmView(type: AlarmType) {
  const fridge = { ...world.fridges.facilityA1, facilityId: facility().id };
  const alarmId = await createTestAlarm(world.db, fridge, { type, status: "resolved" });
  const caller = await world.callerFor(world.people.facilityStaffA1.id);
  return (await caller.coldchain.alarms.get({ alarmId })).stockAtRisk;
}

describe("stock at risk", () => {
  it("gives the stock view and the alarm view the same figure for the same fridge", async () => {
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const stockView = await caller.stock.stockAtRisk({ orgUnitId: facility().id });
    const heat = await alarmView("heat");
    const freeze = await alarmView("freeze");

    expect(heat.totalDoses).toBe(600);
    expect(stockView.heatExposedDoses).toBe(heat.totalDoses);
    expect(freeze.totalDoses).toBe(230);
    expect(stockView.freezeSensitiveDoses).toBe(freeze.totalDoses);
    // An excursion or a silent sensor counts as heat.
    expect((await alarmView("excursion")).totalDoses).toBe(heat.totalDoses);
    expect((await alarmView("no_data")).totalDoses).toBe(heat.totalDoses);

    // The same items and lots, item by item: every item an alarm lists is in the stock view as is.
    for (const item of [...heat.items, ...freeze.items]) {
      expect(stockView.items).toContainEqual(item);
    }
    expect(stockView.items.map((item) => item.code)).toEqual(["DIL", "OPV", "PENTA"]);
    expect(stockView.totalDoses).toBe(630);
  });

  it("counts only usable lots: not expired, not at the VVM discard point, not empty", async () => {
    const heat = await alarmView("heat");
    expect(heat.items.map((item) => item.code)).toEqual(["OPV", "PENTA"]);
    const penta = heat.items.find((item) => item.code === "PENTA");
    expect(penta?.doses).toBe(200);
    expect(penta?.batches).toEqual([expect.objectContaining({ doses: 200, vvmStage: 1 })]);
    expect(heat.items.some((item) => item.code === "BCG")).toBe(false);
  });

  it("orders heat by VVM type and freeze vaccines before diluents; syringes are never at risk", async () => {
    expect((await alarmView("heat")).items.map((item) => item.code)).toEqual(["OPV", "PENTA"]);
    expect((await alarmView("freeze")).items.map((item) => item.code)).toEqual(["PENTA", "DIL"]);
    const lowBattery = await alarmView("low_battery");
    expect(lowBattery).toMatchObject({ totalDoses: 0, items: [] });
  });
});
