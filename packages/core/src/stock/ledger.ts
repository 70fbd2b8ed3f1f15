import { batches, items, type MovementType, orgUnits, stockBalances, stockLedger, type Transaction } from "@rantai/db";
import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import { publishChanges } from "../kernel/change-log";
import { affectedRows, insertId } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { unusableReason } from "./batch-usability";
import { refreshFacilityStockSummaries } from "./facility-stock-summaries";

/** One movement of one lot at one store, before it is written. */
export interface LedgerEntryDraft {
  orgUnitId: number;
  itemId: number;
  batchId: number;
  movementType: MovementType;
  /** Signed doses: + into the store, − out of it. */
  quantity: number;
  idempotencyKey: string;
  occurredAt: Date;
  userId: number;
  /** Usage and issues: refuse a lot that is expired (at `occurredAt`) or past its VVM discard point. */
  requireUsable?: boolean;
  dosesAdministered?: number | null;
  counterpartyOrgUnitId?: number | null;
  counterpartyName?: string | null;
  reason?: string | null;
  reference?: string | null;
  shipmentId?: number | null;
  /** VVM stage seen with this movement. A store's stage for a lot only moves up: heat exposure is cumulative. */
  vvmStage?: number | null;
  reversesEntryId?: number | null;
  note?: string | null;
}

export type PostedEntry = {
  id: number;
  orgUnitId: number;
  itemId: number;
  batchId: number;
  movementType: MovementType;
  quantity: number;
  balanceAfter: number;
};

type LotFacts = { lotNumber: string; itemName: string; expiryDate: string };

/**
 * Appends entries to the ledger and moves the matching balances, inside the caller's transaction.
 * Balance rows are locked in (store, lot) order so concurrent movements cannot deadlock on them;
 * each ledger row is inserted while its balance row is locked, so ids follow the order in which
 * balances changed and `balanceAfter` forms an unbroken running sum per store × lot.
 * Stock never goes negative: outflows lock the row (SELECT … FOR UPDATE) and use a guarded
 * `UPDATE … WHERE quantity >= ?`; a shortfall is a CONFLICT saying how much is available.
 * The stores' `facility_stock_summaries` rows are rewritten last, still in the transaction.
 */
export async function postLedgerEntries(tx: Transaction, drafts: readonly LedgerEntryDraft[]): Promise<PostedEntry[]> {
  await lockStores(
    tx,
    drafts.map((draft) => draft.orgUnitId),
  );
  const lots = await loadLotFacts(tx, drafts);
  const ordered = drafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.orgUnitId - b.draft.orgUnitId || a.draft.batchId - b.draft.batchId || a.index - b.index);
  const posted: { entry: PostedEntry; index: number }[] = [];
  for (const { draft, index } of ordered) {
    const balanceAfter =
      draft.quantity < 0 ? await takeFromBalance(tx, draft, lots) : await addToBalance(tx, draft, draft.quantity);
    const { requireUsable: _requireUsable, ...columns } = draft;
    const id = insertId(await tx.insert(stockLedger).values({ ...columns, balanceAfter }));
    const { orgUnitId, itemId, batchId, movementType, quantity } = draft;
    posted.push({ entry: { id, orgUnitId, itemId, batchId, movementType, quantity, balanceAfter }, index });
  }
  const entries = posted.sort((a, b) => a.index - b.index).map(({ entry }) => entry);
  await publishLedgerEntries(tx, entries);
  // The moved stores' stock figures, in the same transaction, so the overview never lags the ledger.
  await refreshFacilityStockSummaries(
    tx,
    entries.map((entry) => entry.orgUnitId),
  );
  return entries;
}

/**
 * One movement of a store at a time, stores locked in id order: the store's summary row is
 * rewritten from all of its balances and its ledger, so two transactions moving different lots
 * of one store would each wait for the other's rows. Reads of the store are not blocked.
 */
async function lockStores(tx: Transaction, storeIds: readonly number[]) {
  await tx
    .select({ id: orgUnits.id })
    .from(orgUnits)
    .where(inArray(orgUnits.id, [...new Set(storeIds)]))
    .orderBy(asc(orgUnits.id))
    .for("update");
}

/** One change-feed row per ledger entry, so outside systems can replay every movement. */
async function publishLedgerEntries(tx: Transaction, entries: readonly PostedEntry[]): Promise<void> {
  await publishChanges(
    tx,
    entries.map((entry) => ({
      entityType: "stock_ledger_entry",
      entityId: entry.id,
      orgUnitId: entry.orgUnitId,
      operation: "create",
      payload: { ...entry },
    })),
  );
}

async function addToBalance(tx: Transaction, draft: LedgerEntryDraft, quantity: number): Promise<number> {
  await tx
    .insert(stockBalances)
    .values({
      orgUnitId: draft.orgUnitId,
      batchId: draft.batchId,
      itemId: draft.itemId,
      quantity,
      vvmStage: draft.vvmStage ?? 1,
    })
    .onDuplicateKeyUpdate({
      set: {
        quantity: sql`quantity + VALUES(quantity)`,
        vvmStage: draft.vvmStage ? sql`GREATEST(vvm_stage, VALUES(vvm_stage))` : sql`vvm_stage`,
      },
    });
  const locked = await lockBalance(tx, draft);
  if (!locked) throw new Error(`balance ${draft.orgUnitId}/${draft.batchId} vanished after upsert`);
  return locked.quantity;
}

async function takeFromBalance(tx: Transaction, draft: LedgerEntryDraft, lots: Map<number, LotFacts>) {
  const needed = -draft.quantity;
  const locked = await lockBalance(tx, draft);
  const lot = lots.get(draft.batchId) ?? { lotNumber: String(draft.batchId), itemName: "this item", expiryDate: "" };
  if (draft.requireUsable && locked) {
    const reason = unusableReason({ ...lot, vvmStage: locked.vvmStage }, draft.occurredAt);
    if (reason) {
      throw new AppError("stock.lot_unusable", reason, {
        params: { batchId: draft.batchId, lotNumber: lot.lotNumber },
      });
    }
  }
  const available = locked?.quantity ?? 0;
  const updated =
    available >= needed
      ? affectedRows(
          await tx
            .update(stockBalances)
            .set({
              quantity: sql`${stockBalances.quantity} - ${needed}`,
              vvmStage: draft.vvmStage ? sql`GREATEST(${stockBalances.vvmStage}, ${draft.vvmStage})` : undefined,
            })
            .where(
              and(
                eq(stockBalances.orgUnitId, draft.orgUnitId),
                eq(stockBalances.batchId, draft.batchId),
                gte(stockBalances.quantity, needed),
              ),
            ),
        )
      : 0;
  if (updated !== 1) throw await insufficientStock(tx, draft, lot, available);
  return available - needed;
}

async function lockBalance(tx: Transaction, key: { orgUnitId: number; batchId: number }) {
  const [row] = await tx
    .select({ quantity: stockBalances.quantity, vvmStage: stockBalances.vvmStage })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, key.orgUnitId), eq(stockBalances.batchId, key.batchId)))
    .for("update");
  return row;
}

async function insufficientStock(tx: Transaction, draft: LedgerEntryDraft, lot: LotFacts, available: number) {
  const [store] = await tx
    .select({ name: orgUnits.name })
    .from(orgUnits)
    .where(eq(orgUnits.id, draft.orgUnitId))
    .limit(1);
  return new AppError(
    "stock.insufficient",
    `Only ${available} doses of lot ${lot.lotNumber} (${lot.itemName}) are available at ${store?.name ?? "this store"}; this needs ${-draft.quantity}. Reduce the quantity or choose another lot.`,
    {
      params: {
        batchId: draft.batchId,
        lotNumber: lot.lotNumber,
        itemName: lot.itemName,
        availableDoses: available,
        neededDoses: -draft.quantity,
      },
    },
  );
}

async function loadLotFacts(tx: Transaction, drafts: readonly LedgerEntryDraft[]): Promise<Map<number, LotFacts>> {
  const batchIds = [...new Set(drafts.map((draft) => draft.batchId))];
  if (batchIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: batches.id, lotNumber: batches.lotNumber, expiryDate: batches.expiryDate, itemName: items.name })
    .from(batches)
    .innerJoin(items, eq(items.id, batches.itemId))
    .where(inArray(batches.id, batchIds));
  return new Map(rows.map(({ id, ...facts }) => [id, facts]));
}
