import type { DomainContext } from "@rantai/core/kernel";
import { findStockAtRisk, recordDiscard, recordUsage, reverseEntry } from "@rantai/core/stock";
import { stockLevels } from "@rantai/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../testing";
import { createItem, dateInDays, newKey, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

/**
 * A hand-worked history at one puskesmas (10-dose vials, default levels min 1, max 2 months):
 *   −100 d receive 600 · −80 d open 30 vials (280 given) · −60 d open 30 (270 given) → 0
 *   −50 d receive 900 · −30 d open 30 (290 given) · −20 d discard 30 vials broken → SOH 300
 *   −10 d open 10 vials, then reversed (nets out everywhere).
 * 3-month window (90 days): consumption 900, stocked out from −60 d to −50 d = 10 days.
 *   AMC = ceil(900 × 90/80 × 30/90) = ceil(337.5) = 338
 *   MOS = 300 / 338 = 0.89 ≤ 1 → below_min; suggested = 2 × 338 − 300 = 376 → 380 (whole vials)
 *   used 900, given 840: UR 93.3 %, WR 6.7 %, WF 1.07; open-vial 6.7 %; closed-vial 300/900 = 33.3 %
 */
let world: ApiTestWorld;
let admin: DomainContext;
let vaccine: TestItem;
let soonExpiring: TestItem;
let expiredOnly: TestItem;
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

beforeAll(async () => {
  world = await createApiTestWorld("stock_summary");
  admin = await stockContextFor(world, world.people.nationalAdmin.id);
  vaccine = await createItem(world.db, { dosesPerVial: 10, name: "Penta" });
  soonExpiring = await createItem(world.db, { dosesPerVial: 10, name: "BCG", freezeSensitive: false });
  expiredOnly = await createItem(world.db, { dosesPerVial: 10, name: "IPV" });
  const store = world.units.facilityA2.id;
  const lot = { lotNumber: "PENTA-1", expiryDate: dateInDays(300) };
  const batchId = await receiveLot(admin, store, vaccine, 600, { ...lot, occurredAt: daysAgo(100) });
  const use = (days: number, vialsOpened: number, dosesAdministered: number) =>
    recordUsage(admin, {
      idempotencyKey: newKey(),
      orgUnitId: store,
      occurredAt: daysAgo(days),
      lines: [{ batchId, vialsOpened, dosesAdministered }],
    });
  await use(80, 30, 280);
  await use(60, 30, 270);
  await receiveLot(admin, store, vaccine, 900, { ...lot, occurredAt: daysAgo(50) });
  await use(30, 30, 290);
  await recordDiscard(admin, {
    idempotencyKey: newKey(),
    orgUnitId: store,
    occurredAt: daysAgo(20),
    lines: [{ batchId, vials: 30, reason: "broken" }],
  });
  const mistaken = await use(10, 10, 100);
  const [entry] = await world.db.query.stockLedger.findMany({
    where: (ledger, { eq }) => eq(ledger.id, mistaken.entries[0]?.id ?? 0),
  });
  if (!entry) throw new Error("usage entry missing");
  await reverseEntry(admin, entry, {
    idempotencyKey: newKey(),
    entryId: entry.id,
    reason: "duplicate_entry",
    note: "Recorded twice",
  });
  await receiveLot(admin, store, soonExpiring, 50, { expiryDate: dateInDays(45), occurredAt: daysAgo(5) });
  await receiveLot(admin, store, expiredOnly, 100, { expiryDate: dateInDays(-1), occurredAt: daysAgo(5) });
});
afterAll(async () => {
  await world?.destroy();
});

describe("stock.facilitySummary", () => {
  it("matches the hand-worked figures", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const summary = await caller.stock.facilitySummary({ orgUnitId: world.units.facilityA2.id, months: 3 });
    const penta = summary.items.find((row) => row.itemId === vaccine.id);
    expect(penta).toMatchObject({
      stockOnHand: 300,
      usableStock: 300,
      averageMonthlyConsumption: 338,
      monthsOfStock: 0.89,
      status: "below_min",
      minMonths: 1,
      maxMonths: 2,
      suggestedOrderDoses: 380,
      stockOutDays: 10,
      expiring: { expired: 0, within30Days: 0, within60Days: 0, within90Days: 0 },
      usage: {
        consumedDoses: 900,
        dosesUsed: 900,
        dosesAdministered: 840,
        closedVialDosesDiscarded: 300,
        rates: {
          usageRate: 93.3,
          wastageRate: 6.7,
          wastageFactor: 1.07,
          openVialWastageRate: 6.7,
          closedVialWastageRate: 33.3,
        },
      },
    });
  });

  it("shows soon-expiring and expired stock, and judges status on usable stock only", async () => {
    const caller = await world.callerFor(world.people.viewerA.id);
    const { items } = await caller.stock.facilitySummary({ orgUnitId: world.units.facilityA2.id });
    expect(items.find((row) => row.itemId === soonExpiring.id)).toMatchObject({
      stockOnHand: 50,
      status: "unknown",
      expiring: { expired: 0, within30Days: 0, within60Days: 50, within90Days: 50 },
    });
    expect(items.find((row) => row.itemId === expiredOnly.id)).toMatchObject({
      stockOnHand: 100,
      usableStock: 0,
      unusableStock: 100,
      status: "stock_out",
      expiring: { expired: 100 },
    });
  });

  it("uses the store's own min/max when it has them", async () => {
    await world.db
      .insert(stockLevels)
      .values({ orgUnitId: world.units.facilityA2.id, itemId: vaccine.id, minMonths: 0.5, maxMonths: 3 });
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const { items } = await caller.stock.facilitySummary({ orgUnitId: world.units.facilityA2.id, months: 3 });
    // MOS 0.89 > min 0.5 → normal, nothing suggested.
    expect(items.find((row) => row.itemId === vaccine.id)).toMatchObject({
      status: "normal",
      suggestedOrderDoses: 0,
      minMonths: 0.5,
      maxMonths: 3,
    });
  });
});

describe("findStockAtRisk", () => {
  it("lists a facility's usable doses by item and lot, flagging freeze-sensitive ones", async () => {
    const atRisk = await findStockAtRisk(world.db, world.units.facilityA2.id);
    // Penta 300 + BCG 50; the expired IPV lot (100) is already lost, not at risk.
    expect(atRisk.totalDoses).toBe(350);
    expect(atRisk.heatExposedDoses).toBe(350);
    expect(atRisk.freezeSensitiveDoses).toBe(300);
    expect(atRisk.items.map((row) => row.itemId)).not.toContain(expiredOnly.id);
    expect(atRisk.items.find((row) => row.itemId === soonExpiring.id)).toMatchObject({
      freezeSensitive: false,
      doses: 50,
      batches: [expect.objectContaining({ doses: 50 })],
    });
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    await expect(caller.stock.stockAtRisk({ orgUnitId: world.units.facilityA2.id })).rejects.toThrow(
      "You do not have access",
    );
  });
});
