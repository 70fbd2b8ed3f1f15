import { batches, type Executor, items, orgUnits, type Role, stockBalances, stockLedger } from "@rantai/db";
import { and, eq, inArray } from "drizzle-orm";
import { type RequestMeta, writeAudit } from "../auth/audit";
import type { DomainContext } from "../kernel/context";
import { forbidden } from "../kernel/errors";
import { isPathInScope, requireOrgUnitInScope } from "../orgs/scope";

/**
 * Who may change stock. Scope is the org-unit tree (a user acts on their unit and below; facility
 * staff therefore only on their facility); on top of that, viewers are read-only. Every refusal
 * is FORBIDDEN with the same message whether or not the thing exists, and is audited — outside
 * any transaction, so a rollback cannot erase it.
 */

interface Denial {
  action: string;
  entityType: string;
  entityId: number | string;
}

export async function denyAndAudit(request: DomainContext<Executor>, denial: Denial): Promise<never> {
  await auditDenial(request.db, request.meta, request, denial);
  throw forbidden();
}

async function auditDenial(db: Executor, meta: RequestMeta, request: DomainContext<Executor>, denial: Denial) {
  await writeAudit(db, meta, {
    ...denial,
    outcome: "denied",
    actorUserId: request.actor.userId,
    orgUnitId: request.actor.orgUnitId,
  });
}

/** Roles that may change stock and distribution data (within their scope); viewers only read. */
export const stockWriterRoles: readonly Role[] = [
  "national_admin",
  "province_officer",
  "district_officer",
  "facility_staff",
];

/** Refuses read-only roles (viewer) any change. */
export async function requireWriter(
  request: DomainContext<Executor>,
  action: string,
  orgUnitId: number,
): Promise<void> {
  if (stockWriterRoles.includes(request.actor.role)) return;
  await denyAndAudit(request, { action, entityType: "org_unit", entityId: orgUnitId });
}

/** A store (org unit) the actor may change stock at. */
export async function requireStoreForWriting(request: DomainContext<Executor>, orgUnitId: number, action: string) {
  await requireWriter(request, action, orgUnitId);
  return requireOrgUnitInScope(request, orgUnitId, action);
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
  if (missing !== undefined) await denyAndAudit(request, { action, entityType: "batch", entityId: missing });
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
  await requireWriter(request, action, row?.store.id ?? 0);
  if (!row || !isPathInScope(request.actor.orgUnitPath, row.store.path)) {
    return denyAndAudit(request, { action, entityType: "stock_ledger_entry", entityId: entryId });
  }
  return row;
}
