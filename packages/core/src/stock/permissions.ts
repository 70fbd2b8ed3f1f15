import { batches, type Executor, items, type OrgUnit, orgUnits, stockBalances, stockLedger } from "@rantai/db";
import { and, eq, inArray } from "drizzle-orm";
import { authorize, authorizeOrgUnit, refuse } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";

/**
 * The stock context's targets for the one authorization step (kernel/authorization): stores,
 * ledger entries and the lots a store holds. Scope is the org-unit tree (a user acts on their
 * unit and below; facility staff therefore only on their facility); on top of that, viewers are
 * read-only. Every refusal is FORBIDDEN with the same message whether or not the thing exists,
 * and is audited outside any transaction.
 */

/** A store (org unit) the actor may change stock at. */
export async function requireStoreForWriting(
  request: DomainContext<Executor>,
  orgUnitId: number,
  action: string,
): Promise<OrgUnit> {
  return authorizeOrgUnit(request, "stock.write", action, orgUnitId);
}

export interface HeldBatch {
  batchId: number;
  itemId: number;
  itemName: string;
  lotNumber: string;
  expiryDate: string;
  dosesPerVial: number;
  quantity: number;
  vvmStage: number;
}

/**
 * The lots a store holds or has held (a balance row, never deleted, exists for each). A lot id
 * the store never held is refused like an out-of-scope id: it may be another facility's lot.
 * The store itself was authorized by the procedure; this check needs the domain's data.
 */
export async function requireBatchesHeld(
  request: DomainContext<Executor>,
  orgUnitId: number,
  batchIds: readonly number[],
  action: string,
): Promise<Map<number, HeldBatch>> {
  const rows = await findHeldBatches(request.db, orgUnitId, batchIds);
  const held = new Map(rows.map((row) => [row.batchId, row]));
  const missing = batchIds.find((batchId) => !held.has(batchId));
  if (missing !== undefined) await refuse(request, action, { entityType: "batch", entityId: missing });
  return held;
}

export async function findHeldBatches(db: Executor, orgUnitId: number, batchIds: readonly number[]) {
  if (batchIds.length === 0) return [];
  return db
    .select({
      batchId: stockBalances.batchId,
      itemId: stockBalances.itemId,
      itemName: items.name,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      dosesPerVial: items.dosesPerVial,
      quantity: stockBalances.quantity,
      vvmStage: stockBalances.vvmStage,
    })
    .from(stockBalances)
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .where(and(eq(stockBalances.orgUnitId, orgUnitId), inArray(stockBalances.batchId, [...batchIds])));
}

/** A ledger entry whose store is in the actor's scope (for corrections), with its store. */
export async function requireLedgerEntryForWriting(request: DomainContext<Executor>, entryId: number, action: string) {
  const [row] = await request.db
    .select({ entry: stockLedger, store: orgUnits })
    .from(stockLedger)
    .innerJoin(orgUnits, eq(orgUnits.id, stockLedger.orgUnitId))
    .where(eq(stockLedger.id, entryId))
    .limit(1);
  const entity = { entityType: "stock_ledger_entry", entityId: entryId };
  return authorize(request, "stock.write", action, entity, row, (found) => [found.store.path]);
}
