import { batches, type Executor, items, stockBalances, stockLedger } from "@rantai/db";
import { and, asc, desc, eq, gt, lt, ne } from "drizzle-orm";
import { z } from "zod";
import { keysetPage } from "../kernel/pagination";
import { ZIdSchema, ZLimitSchema } from "../kernel/schemas";
import { daysUntilExpiry, isExpired, isVvmUsable, unusableReason } from "./batch-usability";

export const ZListBalancesSchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  itemId: ZIdSchema.optional(),
  /** Also list lots the store held once and has run out of. */
  includeEmpty: z.boolean().default(false),
  limit: ZLimitSchema,
  /** The last lot id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListBalances = z.infer<typeof ZListBalancesSchema>;

/** A store's stock per lot, with what makes a lot unusable spelled out for the user. */
export async function findBalances(db: Executor, orgUnitId: number, input: TListBalances, now = new Date()) {
  const rows = await db
    .select({
      batchId: stockBalances.batchId,
      itemId: items.id,
      itemCode: items.code,
      itemName: items.name,
      dosesPerVial: items.dosesPerVial,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      manufacturer: batches.manufacturer,
      vvmStage: stockBalances.vvmStage,
      quantity: stockBalances.quantity,
    })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(
      and(
        eq(stockBalances.orgUnitId, orgUnitId),
        input.itemId === undefined ? undefined : eq(stockBalances.itemId, input.itemId),
        input.includeEmpty ? undefined : ne(stockBalances.quantity, 0),
        gt(stockBalances.batchId, input.cursor ?? 0),
      ),
    )
    .orderBy(asc(stockBalances.batchId))
    .limit(input.limit + 1);
  const page = keysetPage(rows, input.limit, (row) => row.batchId);
  return {
    items: page.items.map((row) => {
      const reason = unusableReason(row, now);
      return {
        ...row,
        vials: Math.floor(row.quantity / Math.max(1, row.dosesPerVial)),
        daysUntilExpiry: daysUntilExpiry(row.expiryDate, now),
        usable: reason === null,
        unusableReason: reason,
        /** Why the lot cannot be used, for clients to word: expired first, then the VVM's discard point. */
        unusableCause: isExpired(row.expiryDate, now)
          ? ("expired" as const)
          : isVvmUsable(row.vvmStage)
            ? null
            : ("vvm_discard_point" as const),
      };
    }),
    nextCursor: page.nextCursor,
  };
}

export const ZListLedgerSchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  batchId: ZIdSchema.optional(),
  itemId: ZIdSchema.optional(),
  limit: ZLimitSchema,
  /** The smallest entry id of the previous page (entries come newest first). */
  cursor: ZIdSchema.optional(),
});
export type TListLedger = z.infer<typeof ZListLedgerSchema>;

/** The stock card: a store's ledger entries, newest first, optionally for one item or lot. */
export async function findLedgerEntries(db: Executor, orgUnitId: number, input: TListLedger) {
  const rows = await db
    .select({
      id: stockLedger.id,
      itemId: stockLedger.itemId,
      itemCode: items.code,
      itemName: items.name,
      batchId: stockLedger.batchId,
      lotNumber: batches.lotNumber,
      movementType: stockLedger.movementType,
      quantity: stockLedger.quantity,
      balanceAfter: stockLedger.balanceAfter,
      dosesAdministered: stockLedger.dosesAdministered,
      counterpartyOrgUnitId: stockLedger.counterpartyOrgUnitId,
      counterpartyName: stockLedger.counterpartyName,
      reason: stockLedger.reason,
      reference: stockLedger.reference,
      shipmentId: stockLedger.shipmentId,
      vvmStage: stockLedger.vvmStage,
      reversesEntryId: stockLedger.reversesEntryId,
      note: stockLedger.note,
      occurredAt: stockLedger.occurredAt,
      recordedAt: stockLedger.recordedAt,
      userId: stockLedger.userId,
    })
    .from(stockLedger)
    .innerJoin(batches, eq(batches.id, stockLedger.batchId))
    .innerJoin(items, eq(items.id, stockLedger.itemId))
    .where(
      and(
        eq(stockLedger.orgUnitId, orgUnitId),
        input.batchId === undefined ? undefined : eq(stockLedger.batchId, input.batchId),
        input.itemId === undefined ? undefined : eq(stockLedger.itemId, input.itemId),
        input.cursor === undefined ? undefined : lt(stockLedger.id, input.cursor),
      ),
    )
    .orderBy(desc(stockLedger.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, (row) => row.id);
}
