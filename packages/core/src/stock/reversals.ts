import { type MovementType, stockBalances, stockLedger, type Transaction } from "@rantai/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema } from "../kernel/schemas";
import { postLedgerEntries } from "./ledger";
import { movementChange } from "./movement-change";
import { idempotentCall } from "./mutation";
import type { MovementResult } from "./receipts";

export const reversalReasons = ["data_entry_error", "duplicate_entry", "wrong_lot", "wrong_quantity", "other"] as const;

export const ZReverseEntrySchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  entryId: ZIdSchema,
  reason: z.enum(reversalReasons),
  /** What was wrong; kept with the reversal for the stock card and audit. */
  note: ZNoteSchema,
});
export type TReverseEntry = z.infer<typeof ZReverseEntrySchema>;

/**
 * Entries a store may reverse on its own. Shipment entries (transfer/return) have a counterpart
 * at another store, so reversing one side would break the transfer: correct those with a count.
 */
const reversibleTypes: ReadonlySet<MovementType> = new Set(["receipt", "usage", "adjustment", "discard", "count"]);

type LedgerEntry = typeof stockLedger.$inferSelect;

/**
 * Cancels a ledger entry by appending its opposite (`reversal`, linked by `reversesEntryId`),
 * never by editing it. A usage's doses given are reversed too. An entry is reversed at most
 * once: the lot's balance row is locked first, then the check for an earlier reversal reads
 * the latest committed rows.
 */
export async function reverseEntry(
  ctx: DomainContext,
  entry: LedgerEntry,
  input: TReverseEntry,
): Promise<MovementResult> {
  const action = "stock.reverseEntry";
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    if (!reversibleTypes.has(entry.movementType)) {
      throw new AppError(
        "stock.not_reversible",
        entry.movementType === "reversal"
          ? "A reversal cannot itself be reversed. Record a new movement instead."
          : "Shipment entries cannot be reversed on one side. Correct the stock with a stock count instead.",
      );
    }
    const earlier = await findReversalOf(tx, entry);
    if (earlier) {
      throw new AppError("stock.already_reversed", `Entry ${entry.id} was already reversed by entry ${earlier.id}.`);
    }
    const entries = await postLedgerEntries(tx, [
      {
        orgUnitId: entry.orgUnitId,
        itemId: entry.itemId,
        batchId: entry.batchId,
        movementType: "reversal",
        quantity: -entry.quantity,
        dosesAdministered: entry.dosesAdministered === null ? null : -entry.dosesAdministered,
        reason: input.reason,
        note: input.note,
        reversesEntryId: entry.id,
        idempotencyKey: input.idempotencyKey,
        occurredAt: new Date(),
        userId: ctx.actor.userId,
      },
    ]);
    await recordChange(
      tx,
      ctx,
      movementChange(action, input.idempotencyKey, entry.orgUnitId, entries, { reversesEntryId: entry.id }),
    );
    return { entries };
  });
}

async function findReversalOf(tx: Transaction, entry: LedgerEntry) {
  await tx
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, entry.orgUnitId), eq(stockBalances.batchId, entry.batchId)))
    .for("update");
  const [earlier] = await tx
    .select({ id: stockLedger.id })
    .from(stockLedger)
    .where(
      and(
        eq(stockLedger.orgUnitId, entry.orgUnitId),
        eq(stockLedger.batchId, entry.batchId),
        eq(stockLedger.reversesEntryId, entry.id),
      ),
    )
    .limit(1)
    .for("update");
  return earlier;
}
