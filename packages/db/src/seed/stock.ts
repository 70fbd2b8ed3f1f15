import { and, inArray, like, sql } from "drizzle-orm";
import type { Database } from "../client";
import { stockBalances, stockLedger, stockLevels } from "../schema";
import type { SeededBatch } from "./batches";
import { chunk, mapWithConcurrency } from "./concurrency";
import type { SeededItem } from "./items";
import type { SeededOrgUnit } from "./org-units";
import { seedInTransitShipment } from "./shipments";
import {
  demoStockLevels,
  groupLotsByItem,
  type PlannedEntry,
  planIssues,
  planStoreEntries,
  storeScales,
} from "./stock-plan";

export interface StockSeedResult {
  ledgerEntriesAdded: number;
  /** Planned entries left out because they would have taken a balance below zero. */
  entriesSkipped: number;
}

/**
 * Opening stock passed down the chain (each store issues its children's opening stock, see
 * `planIssues`) and a week of usage, written only through the ledger: per store, one
 * transaction appends the missing entries (by idempotency key) with their running balance and
 * writes the matching `stock_balances` rows, so a balance always equals the sum of its ledger.
 */
export async function seedStock(
  db: Database,
  units: ReadonlyMap<string, SeededOrgUnit>,
  itemList: readonly SeededItem[],
  batchList: readonly SeededBatch[],
  now: Date,
): Promise<StockSeedResult> {
  const stores = [...units.values()];
  const byId = new Map(stores.map((store) => [store.id, store]));
  const scales = storeScales(stores);
  const lotsByItem = groupLotsByItem(batchList);

  const plans = planIssues(
    stores.map((store) => {
      const parent = store.parentId === null ? undefined : byId.get(store.parentId);
      return { store, entries: planStoreEntries(store, parent, scales.get(store.id) ?? 1, itemList, lotsByItem, now) };
    }),
  );
  const result = await applyStoreEntries(db, plans);
  await seedStockLevels(db, stores, itemList);
  await seedInTransitShipment(db, units, itemList, now);
  return result;
}

/** Stores per transaction: their missing entries, balances and ledger rows in a few statements. */
const STORES_PER_TRANSACTION = 50;
const LEDGER_ROWS_PER_STATEMENT = 1000;

/**
 * Appends each store's missing planned entries (by idempotency key and lot) with their running
 * balance, and writes the matching `stock_balances` rows, a group of stores per transaction, so
 * a balance always equals the sum of its ledger. An entry that would take a balance below zero
 * is skipped and counted.
 */
export async function applyStoreEntries(
  db: Database,
  plans: readonly { orgUnitId: number; entries: readonly PlannedEntry[] }[],
  /** Groups written at once (each on its own connection): the national dataset uses 2. */
  concurrency = 1,
): Promise<StockSeedResult> {
  const result: StockSeedResult = { ledgerEntriesAdded: 0, entriesSkipped: 0 };
  await mapWithConcurrency(chunk(plans, STORES_PER_TRANSACTION), concurrency, async (group) => {
    const applied = await applyGroup(db, group);
    result.ledgerEntriesAdded += applied.added;
    result.entriesSkipped += applied.skipped;
  });
  return result;
}

async function applyGroup(db: Database, group: readonly { orgUnitId: number; entries: readonly PlannedEntry[] }[]) {
  const storeIds = group.map((plan) => plan.orgUnitId);
  return db.transaction(
    async (tx) => {
      const existing = await tx
        .select({ orgUnitId: stockLedger.orgUnitId, key: stockLedger.idempotencyKey, batchId: stockLedger.batchId })
        .from(stockLedger)
        .where(and(inArray(stockLedger.orgUnitId, storeIds), like(stockLedger.idempotencyKey, "seed:%")));
      const seen = new Set(existing.map((row) => `${row.orgUnitId}|${row.key}|${row.batchId}`));
      const missing = group.flatMap((plan) =>
        plan.entries
          .filter((entry) => !seen.has(`${plan.orgUnitId}|${entry.idempotencyKey}|${entry.batchId}`))
          .map((entry) => ({ orgUnitId: plan.orgUnitId, entry })),
      );
      if (missing.length === 0) return { added: 0, skipped: 0 };

      // Lock the stores' balances: new entries continue from them, never from a stale read.
      const current = await tx
        .select({
          orgUnitId: stockBalances.orgUnitId,
          batchId: stockBalances.batchId,
          quantity: stockBalances.quantity,
        })
        .from(stockBalances)
        .where(inArray(stockBalances.orgUnitId, storeIds))
        .for("update");
      const key = (orgUnitId: number, batchId: number) => `${orgUnitId}|${batchId}`;
      const balances = new Map(current.map((row) => [key(row.orgUnitId, row.batchId), row.quantity]));
      const touched = new Map<string, { orgUnitId: number; batchId: number; itemId: number }>();
      const rows: (typeof stockLedger.$inferInsert)[] = [];
      let skipped = 0;
      for (const { orgUnitId, entry } of missing) {
        const balanceKey = key(orgUnitId, entry.batchId);
        const balanceAfter = (balances.get(balanceKey) ?? 0) + entry.quantity;
        if (balanceAfter < 0) {
          skipped++;
          continue;
        }
        balances.set(balanceKey, balanceAfter);
        touched.set(balanceKey, { orgUnitId, batchId: entry.batchId, itemId: entry.itemId });
        rows.push({ orgUnitId, ...entry, balanceAfter, vvmStage: 1, note: "Data demo (seed)" });
      }
      // A plain INSERT: a concurrent duplicate fails the transaction instead of skewing a balance.
      for (const part of chunk(rows, LEDGER_ROWS_PER_STATEMENT)) await tx.insert(stockLedger).values(part);
      const balanceRows = [...touched].map(([balanceKey, lot]) => ({
        ...lot,
        quantity: balances.get(balanceKey) ?? 0,
        vvmStage: 1,
      }));
      for (const part of chunk(balanceRows, LEDGER_ROWS_PER_STATEMENT)) {
        await tx
          .insert(stockBalances)
          .values(part)
          .onDuplicateKeyUpdate({ set: { quantity: sql`VALUES(quantity)` } });
      }
      return { added: rows.length, skipped };
      // No gap locks: groups of other stores may be written at the same time.
    },
    { isolationLevel: "read committed" },
  );
}

/** Min/max months per store × vaccine; existing levels (perhaps tuned by a user) are kept. */
export async function seedStockLevels(db: Database, stores: readonly SeededOrgUnit[], itemList: readonly SeededItem[]) {
  const vaccines = itemList.filter((item) => item.kind === "vaccine");
  const rows = stores.flatMap((store) =>
    vaccines.map((item) => ({ orgUnitId: store.id, itemId: item.id, ...demoStockLevels[store.level] })),
  );
  for (const part of chunk(rows, 1000)) {
    await db
      .insert(stockLevels)
      .values(part)
      .onDuplicateKeyUpdate({ set: { orgUnitId: sql`org_unit_id`, updatedAt: sql`updated_at` } });
  }
}
