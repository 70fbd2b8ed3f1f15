import { batches, type Executor, facilityStockSummaries, items, orgUnits, stockLedger } from "@rantai/db";
import type { TestDatabase } from "@rantai/db/testing";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facilityFigures } from "../orgs/facility-figures";
import { createOrgsTestDatabase } from "../orgs/testing";
import { wibDate } from "./batch-usability";
import { refreshConsumptionRates } from "./consumption-rates";
import { refreshFacilityStockSummariesUnder } from "./facility-stock-summaries";
import { type LedgerEntryDraft, postLedgerEntries } from "./ledger";

/**
 * The summary rows are a faster path to the same numbers: after every kind of write, and on
 * every later day, the figures read through them equal the figures computed from the balances
 * alone (the summary table emptied inside a transaction that is rolled back).
 */
let database: TestDatabase;
const DAY_MS = 86_400_000;
const now = new Date();
const today = wibDate(now);
const inDays = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const facilityA = 4;
const facilityB = 5;
const facilityC = 6;

beforeAll(async () => {
  database = await createOrgsTestDatabase("stock_summaries");
  const { db } = database;
  await db.insert(orgUnits).values([
    { id: 1, parentId: null, level: "national", code: "N", name: "Indonesia", path: "/1/", depth: 0 },
    { id: 2, parentId: 1, level: "province", code: "P", name: "Provinsi", path: "/1/2/", depth: 1 },
    { id: 3, parentId: 2, level: "district", code: "D", name: "Kabupaten", path: "/1/2/3/", depth: 2 },
    ...[facilityA, facilityB, facilityC].map((id) => ({
      id,
      parentId: 3,
      level: "facility" as const,
      code: `F${id}`,
      name: `Puskesmas ${id}`,
      path: `/1/2/3/${id}/`,
      depth: 3,
      facilityType: "puskesmas" as const,
    })),
  ]);
  const vaccine = {
    dosesPerVial: 10,
    freezeSensitive: false,
    vvmType: "VVM14",
    openVialPolicy: "keep_28_days",
  } as const;
  await db.insert(items).values([
    { id: 1, code: "BCG", name: "BCG", kind: "vaccine", ...vaccine },
    { id: 2, code: "DPT", name: "DPT-HB-Hib", kind: "vaccine", ...vaccine },
    {
      id: 3,
      code: "SYR",
      name: "Syringe",
      kind: "syringe",
      ...vaccine,
      vvmType: "none",
      openVialPolicy: "not_applicable",
    },
  ]);
  // Lots on each side of every date the figures turn on: expiry windows of 30/60/90 days, expiry itself.
  await db.insert(batches).values([
    { id: 1, itemId: 1, lotNumber: "B-10", expiryDate: inDays(10), manufacturer: "Bio Farma" },
    { id: 2, itemId: 1, lotNumber: "B-45", expiryDate: inDays(45), manufacturer: "Bio Farma" },
    { id: 3, itemId: 2, lotNumber: "D-75", expiryDate: inDays(75), manufacturer: "Bio Farma" },
    { id: 4, itemId: 2, lotNumber: "D-400", expiryDate: inDays(400), manufacturer: "Bio Farma" },
    { id: 5, itemId: 3, lotNumber: "S-900", expiryDate: inDays(900), manufacturer: "Terumo" },
  ]);
});

afterAll(async () => {
  await database?.destroy();
});

let keys = 0;
function draft(
  orgUnitId: number,
  batchId: number,
  quantity: number,
  extra: Partial<LedgerEntryDraft> = {},
): LedgerEntryDraft {
  const itemId = batchId <= 2 ? 1 : batchId <= 4 ? 2 : 3;
  keys += 1;
  return {
    orgUnitId,
    itemId,
    batchId,
    movementType: quantity > 0 ? "receipt" : "transfer_out",
    quantity,
    idempotencyKey: `summary-test-${keys}`,
    occurredAt: now,
    userId: 1,
    ...extra,
  };
}

async function post(drafts: LedgerEntryDraft[]) {
  await database.db.transaction((tx) => postLedgerEntries(tx, drafts));
}

/** Every stock column of the figures (and the last sync) per facility, on the day of `at`. */
async function stockFiguresOf(db: Executor, at: Date) {
  const figures = facilityFigures(db, { id: 1, path: "/1/", depth: 0 }, at);
  return db
    .select({
      facilityId: sql<number>`${figures.facilityId}`.mapWith(Number),
      values: sql<string>`CONCAT_WS(' ', ${figures.vaccines}, ${figures.stockOutItems}, ${figures.belowMinItems},
        ${figures.aboveMaxItems}, ${figures.expiring30Doses}, ${figures.expiring60Doses}, ${figures.expiring90Doses},
        ${figures.stockStatusRank}, ${figures.ratesComputedAt}, ${figures.lastSyncAt})`,
    })
    .from(figures)
    .orderBy(asc(figures.facilityId));
}

/** The same figures with no summary row to read: computed from the balances, as before the summaries. */
async function computedFiguresOf(at: Date) {
  let computed: Awaited<ReturnType<typeof stockFiguresOf>> = [];
  const rolledBack = new Error("rolled back on purpose");
  await database.db
    .transaction(async (tx) => {
      await tx.delete(facilityStockSummaries);
      computed = await stockFiguresOf(tx, at);
      throw rolledBack;
    })
    .catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
  return computed;
}

/** How many facilities the figures on the day of `at` read from a summary row. */
async function summarizedOn(at: Date) {
  const [row] = await database.db
    .select({ count: sql<number>`COUNT(*)`.mapWith(Number) })
    .from(facilityStockSummaries)
    .where(
      sql`${facilityStockSummaries.asOfDate} <= ${wibDate(at)} AND ${facilityStockSummaries.validUntil} > ${wibDate(at)}`,
    );
  return row?.count ?? 0;
}

async function expectExact(at = now) {
  const summarized = await stockFiguresOf(database.db, at);
  expect(summarized).toHaveLength(3);
  expect(summarized).toEqual(await computedFiguresOf(at));
  return summarized;
}

describe("facility stock summaries", () => {
  it("are rewritten with every ledger movement, in its transaction", async () => {
    await post([draft(facilityA, 1, 100), draft(facilityA, 2, 200), draft(facilityA, 3, 50), draft(facilityA, 5, 30)]);
    await post([draft(facilityB, 4, 500)]);
    expect(await summarizedOn(now)).toBe(2);
    const first = await expectExact();

    // A lot issued to zero: a stock-out of DPT at B; a receipt at A of a lot it already holds.
    await post([draft(facilityB, 4, -500), draft(facilityA, 2, 25)]);
    const second = await expectExact();
    expect(second).not.toEqual(first);
    const [summaryB] = await database.db
      .select()
      .from(facilityStockSummaries)
      .where(sql`${facilityStockSummaries.orgUnitId} = ${facilityB}`);
    expect(summaryB).toMatchObject({ vaccines: 1, stockOutItems: 1, worstStatusRank: 0 });
    // A refused movement (more than the balance) rolls back with its summary: nothing changes.
    await expect(post([draft(facilityA, 1, -1000)])).rejects.toThrow();
    expect(await expectExact()).toEqual(second);
  });

  it("follow a consumption-rate refresh, which changes the statuses", async () => {
    const usedAt = new Date(now.getTime() - 20 * DAY_MS);
    await post([
      draft(facilityA, 2, -180, { movementType: "usage", occurredAt: usedAt, dosesAdministered: 170 }),
      draft(facilityA, 3, -40, { movementType: "usage", occurredAt: usedAt, dosesAdministered: 40 }),
    ]);
    const before = await expectExact();
    const [store] = await database.db.select().from(orgUnits).where(eq(orgUnits.id, facilityA));
    if (!store) throw new Error("facility A was inserted before");
    expect(await refreshConsumptionRates(database.db, store, now)).toBeGreaterThan(0);
    expect(await summarizedOn(now)).toBe(2);
    expect(await expectExact()).not.toEqual(before);
  });

  it("give way to the balances on the days a lot expires or enters an expiry window", async () => {
    // Days around each lot's boundaries (10, 45, 75, 400 days out, less 30/60/90): the figures
    // change on them, and a row computed today must not be read on them.
    for (const days of [1, 9, 10, 11, 15, 16, 44, 46, 76, 311, 401]) {
      await expectExact(new Date(now.getTime() + days * DAY_MS));
    }
    // Rows hold until their facility's next boundary: A holds a lot expiring in 10 days (inside
    // every window already), so it changes on day 11; B holds nothing.
    expect(await summarizedOn(new Date(now.getTime() + 10 * DAY_MS))).toBe(2);
    expect(await summarizedOn(new Date(now.getTime() + 11 * DAY_MS))).toBe(1);
    // The daily refresh brings every facility, with or without stock, back onto its row.
    const later = new Date(now.getTime() + 50 * DAY_MS);
    await refreshFacilityStockSummariesUnder(database.db, "/1/", later);
    expect(await summarizedOn(later)).toBe(3);
    await expectExact(later);
  });

  it("keep the last sync with the ledger", async () => {
    await post([draft(facilityC, 4, 10)]);
    const [latest] = await database.db
      .select({ at: sql<string>`MAX(${stockLedger.recordedAt})` })
      .from(stockLedger)
      .where(sql`${stockLedger.orgUnitId} = ${facilityC}`);
    const [summaryC] = await database.db
      .select({ at: sql<string>`${facilityStockSummaries.lastRecordedAt}` })
      .from(facilityStockSummaries)
      .where(sql`${facilityStockSummaries.orgUnitId} = ${facilityC}`);
    expect(summaryC?.at).toBe(latest?.at);
    await expectExact();
  });
});
