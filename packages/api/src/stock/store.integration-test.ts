import { createShipment, dispatchShipment, receiveShipment } from "@rantai/core/distribution";
import type { DomainContext } from "@rantai/core/kernel";
import { CONSUMPTION_RATE_WINDOW_MONTHS, refreshConsumptionRates } from "@rantai/core/stock";
import { facilityStockSummaries, stockConsumptionRates, stockLevels } from "@rantai/db";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, errorOf, shapeSentFor } from "../testing";
import { createItem, newKey, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

/**
 * The district store: its stock leaves by shipments to the puskesmas it supplies, never by usage,
 * so its months of stock are measured against what it issues; and the min/max levels per level
 * that an officer sets for every store under them.
 */
let world: ApiTestWorld;
let admin: DomainContext;
let vaccine: TestItem;
let receivedOnly: TestItem;
const DAY = 86_400_000;

beforeAll(async () => {
  world = await createApiTestWorld("stock_store");
  admin = await stockContextFor(world, world.people.nationalAdmin.id);
  vaccine = await createItem(world.db, { dosesPerVial: 10, name: "MR" });
  receivedOnly = await createItem(world.db, { dosesPerVial: 10, name: "IPV" });
  const { districtA, facilityA1 } = world.units;
  const batchId = await receiveLot(admin, districtA.id, vaccine, 1000, {
    occurredAt: new Date(Date.now() - 40 * DAY),
  });
  await receiveLot(admin, districtA.id, receivedOnly, 500, { occurredAt: new Date(Date.now() - 40 * DAY) });
  // The district issues 300 doses to a puskesmas, which receives them.
  const draft = await createShipment(admin, districtA, {
    idempotencyKey: newKey(),
    senderOrgUnitId: districtA.id,
    receiverOrgUnitId: facilityA1.id,
    lines: [{ batchId, doses: 300 }],
  });
  const shipment = await world.db.query.shipments.findFirst({ where: (s, { eq }) => eq(s.id, draft.shipmentId) });
  if (!shipment) throw new Error("the draft was just created");
  const found = { shipment, sender: districtA, receiver: facilityA1 };
  await dispatchShipment(admin, found, { idempotencyKey: newKey(), shipmentId: shipment.id });
  await receiveShipment(admin, found, { idempotencyKey: newKey(), shipmentId: shipment.id });
}, 60_000);

afterAll(async () => {
  await world?.destroy();
});

describe("a district store's months of stock", () => {
  it("are measured against what it issued: 300 doses over its 40 days of history", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const summary = await caller.stock.facilitySummary({});
    const item = summary.items.find((row) => row.itemId === vaccine.id);
    // AMC = ceil(300 × 30 / 40) = 225; MOS = 700 / 225 = 3.11 > 3 (district max) → above_max.
    expect(item).toMatchObject({ stockOnHand: 700, averageMonthlyConsumption: 225, status: "above_max" });
    expect(item?.monthsOfStock).toBeCloseTo(3.11, 2);
  });

  it("count nothing received as consumption: an item only received has no months of stock yet", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const summary = await caller.stock.facilitySummary({});
    expect(summary.items.find((row) => row.itemId === receivedOnly.id)).toMatchObject({
      averageMonthlyConsumption: 0,
      monthsOfStock: null,
      status: "unknown",
    });
  });

  it("are what the scope figures read: the stored rate of the store is its issues", async () => {
    await refreshConsumptionRates(world.db, world.units.districtA, new Date(), CONSUMPTION_RATE_WINDOW_MONTHS);
    const [rate] = await world.db
      .select()
      .from(stockConsumptionRates)
      .where(
        and(
          eq(stockConsumptionRates.orgUnitId, world.units.districtA.id),
          eq(stockConsumptionRates.itemId, vaccine.id),
        ),
      );
    expect(rate?.averageMonthlyConsumption).toBe(225);
  });

  it("leave the receiving puskesmas' consumption untouched: a transfer in is not usage", async () => {
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const summary = await caller.stock.facilitySummary({});
    expect(summary.items.find((row) => row.itemId === vaccine.id)).toMatchObject({
      stockOnHand: 300,
      averageMonthlyConsumption: 0,
    });
  });
});

describe("min/max levels per level", () => {
  it("lists the levels of the district officer's scope: the district store and its puskesmas", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const settings = await caller.stock.listStockLevels({});
    expect(settings.levels.map((level) => [level.level, level.stores])).toEqual([
      ["district", 1],
      ["facility", 2],
    ]);
    const facility = settings.levels.find((level) => level.level === "facility");
    expect(facility?.items.find((item) => item.itemId === vaccine.id)).toMatchObject({
      minMonths: { low: 1, high: 1 },
      maxMonths: { low: 2, high: 2 },
    });
  });

  it("sets a vaccine's levels for every puskesmas of the district, and no other district's", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const before = new Date(Date.now() - 1000);
    const result = await caller.stock.setStockLevel({
      level: "facility",
      itemId: vaccine.id,
      minMonths: 0.5,
      maxMonths: 1.75,
    });
    expect(result.stores).toBe(2);
    const { facilityA1, facilityA2, facilityB1 } = world.units;
    // The puskesmas' summary rows (below minimum / above maximum counts) are rewritten with the levels.
    const summaries = await world.db
      .select({ orgUnitId: facilityStockSummaries.orgUnitId, refreshedAt: facilityStockSummaries.refreshedAt })
      .from(facilityStockSummaries)
      .where(inArray(facilityStockSummaries.orgUnitId, [facilityA1.id, facilityA2.id]));
    expect(summaries).toHaveLength(2);
    for (const summary of summaries) expect(summary.refreshedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    const rows = await world.db
      .select()
      .from(stockLevels)
      .where(
        and(
          eq(stockLevels.itemId, vaccine.id),
          inArray(stockLevels.orgUnitId, [facilityA1.id, facilityA2.id, facilityB1.id]),
        ),
      );
    expect(rows.map((row) => [row.orgUnitId, row.minMonths, row.maxMonths]).sort()).toEqual(
      [
        [facilityA1.id, 0.5, 1.75],
        [facilityA2.id, 0.5, 1.75],
      ].sort(),
    );
    const facilitySummary = await (await world.callerFor(world.people.facilityStaffA1.id)).stock.facilitySummary({});
    expect(facilitySummary.items.find((row) => row.itemId === vaccine.id)).toMatchObject({
      minMonths: 0.5,
      maxMonths: 1.75,
    });
  });

  it("shows a range when the stores of a level differ, and setting again evens them out", async () => {
    await world.db
      .update(stockLevels)
      .set({ maxMonths: 3 })
      .where(and(eq(stockLevels.orgUnitId, world.units.facilityA2.id), eq(stockLevels.itemId, vaccine.id)));
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const varied = await caller.stock.listStockLevels({});
    const item = varied.levels.find((level) => level.level === "facility")?.items.find((i) => i.itemId === vaccine.id);
    expect(item?.maxMonths).toEqual({ low: 1.75, high: 3 });
    await caller.stock.setStockLevel({ level: "facility", itemId: vaccine.id, minMonths: 1, maxMonths: 2 });
    const even = await caller.stock.listStockLevels({});
    const after = even.levels.find((level) => level.level === "facility")?.items.find((i) => i.itemId === vaccine.id);
    expect(after).toMatchObject({ minMonths: { low: 1, high: 1 }, maxMonths: { low: 2, high: 2 } });
  });

  it("refuses a level above the officer's own", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const error = await errorOf(
      caller.stock.setStockLevel({ level: "province", itemId: vaccine.id, minMonths: 2, maxMonths: 4 }),
    );
    expect(shapeSentFor(error).data.reason).toBe("stock.level_outside_scope");
  });

  it("refuses a maximum below the minimum, and more than two decimals", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    for (const levels of [
      { minMonths: 2, maxMonths: 1 },
      { minMonths: 1.125, maxMonths: 2 },
    ]) {
      const error = await errorOf(caller.stock.setStockLevel({ level: "facility", itemId: vaccine.id, ...levels }));
      expect(error.code).toBe("BAD_REQUEST");
    }
  });

  it("refuses another district's officer, a viewer and facility staff", async () => {
    const { districtOfficerB, viewerA, facilityStaffA1 } = world.people;
    for (const userId of [districtOfficerB.id, viewerA.id, facilityStaffA1.id]) {
      const caller = await world.callerFor(userId);
      const error = await errorOf(
        caller.stock.setStockLevel({
          orgUnitId: world.units.districtA.id,
          level: "facility",
          itemId: vaccine.id,
          minMonths: 3,
          maxMonths: 5,
        }),
      );
      expect(error.code).toBe("FORBIDDEN");
    }
    const other = await world.callerFor(districtOfficerB.id);
    expect((await errorOf(other.stock.listStockLevels({ orgUnitId: world.units.districtA.id }))).code).toBe(
      "FORBIDDEN",
    );
  });
});
