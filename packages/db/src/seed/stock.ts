import { and, eq, like, sql } from "drizzle-orm";
import type { Database } from "../client";
import { stockBalances, stockLedger, stockLevels } from "../schema";
import type { SeededBatch } from "./batches";
import { chunk } from "./concurrency";
import type { SeededItem } from "./items";
import type { SeededOrgUnit } from "./org-units";
import { demoStockLevels, type PlanLot, type PlannedEntry, planStoreEntries, storeScales } from "./stock-plan";

export interface StockSeedResult {
  ledgerEntriesAdded: number;
  /** Planned entries left out because they would have taken a balance below zero. */
  entriesSkipped: number;
}

/**
 * Opening stock and a week of usage, written only through the ledger: per store, one
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
  const lotsByItem = new Map<number, PlanLot[]>();
  for (const batch of batchList) {
    const lots = lotsByItem.get(batch.itemId) ?? [];
    lots.push({ id: batch.id, itemId: batch.itemId, expiryDate: batch.expiryDate });
    lotsByItem.set(batch.itemId, lots);
  }
  for (const lots of lotsByItem.values()) lots.sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.id - b.id);

  const result: StockSeedResult = { ledgerEntriesAdded: 0, entriesSkipped: 0 };
  for (const store of stores) {
    const parent = store.parentId === null ? undefined : byId.get(store.parentId);
    const plan = planStoreEntries(store, parent, scales.get(store.id) ?? 1, itemList, lotsByItem, now);
    const applied = await applyStoreEntries(db, store.id, plan);
    result.ledgerEntriesAdded += applied.added;
    result.entriesSkipped += applied.skipped;
  }
  await seedStockLevels(db, stores, itemList);
  return result;
}

async function applyStoreEntries(db: Database, orgUnitId: number, plan: readonly PlannedEntry[]) {
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ key: stockLedger.idempotencyKey, batchId: stockLedger.batchId })
      .from(stockLedger)
      .where(and(eq(stockLedger.orgUnitId, orgUnitId), like(stockLedger.idempotencyKey, "seed:%")));
    const seen = new Set(existing.map((row) => `${row.key}|${row.batchId}`));
    const missing = plan.filter((entry) => !seen.has(`${entry.idempotencyKey}|${entry.batchId}`));
    if (missing.length === 0) return { added: 0, skipped: 0 };

    // Lock the store's balances: new entries continue from them, never from a stale read.
    const current = await tx
      .select({ batchId: stockBalances.batchId, quantity: stockBalances.quantity })
      .from(stockBalances)
      .where(eq(stockBalances.orgUnitId, orgUnitId))
      .for("update");
    const balances = new Map(current.map((row) => [row.batchId, row.quantity]));
    const touched = new Map<number, number>();
    const rows: (typeof stockLedger.$inferInsert)[] = [];
    let skipped = 0;
    for (const entry of missing) {
      const balanceAfter = (balances.get(entry.batchId) ?? 0) + entry.quantity;
      if (balanceAfter < 0) {
        skipped++;
        continue;
      }
      balances.set(entry.batchId, balanceAfter);
      touched.set(entry.batchId, entry.itemId);
      rows.push({ orgUnitId, ...entry, balanceAfter, vvmStage: 1, note: "Data demo (seed)" });
    }
    // A plain INSERT: a concurrent duplicate fails the transaction instead of skewing a balance.
    for (const part of chunk(rows, 500)) await tx.insert(stockLedger).values(part);
    const balanceRows = [...touched].map(([batchId, itemId]) => ({
      orgUnitId,
      batchId,
      itemId,
      quantity: balances.get(batchId) ?? 0,
      vvmStage: 1,
    }));
    if (balanceRows.length > 0) {
      await tx
        .insert(stockBalances)
        .values(balanceRows)
        .onDuplicateKeyUpdate({ set: { quantity: sql`VALUES(quantity)` } });
    }
    return { added: rows.length, skipped };
  });
}

/** Min/max months per store × vaccine; existing levels (perhaps tuned by a user) are kept. */
async function seedStockLevels(db: Database, stores: readonly SeededOrgUnit[], itemList: readonly SeededItem[]) {
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
