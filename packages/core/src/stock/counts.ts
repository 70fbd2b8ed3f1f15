import { stockBalances, type Transaction } from "@rantai/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { runIdempotent } from "../kernel/idempotency";
import {
  hasDistinct,
  MAX_LINE_DOSES,
  ZIdempotencyKeySchema,
  ZIdSchema,
  ZNoteSchema,
  ZOccurredAtSchema,
} from "../kernel/schemas";
import type { PostedEntry } from "./ledger";
import { idempotentCall, lotMovementDraft, occurredAtOf, postMovements } from "./mutation";
import { requireBatchesHeld } from "./permissions";
import { requireWholeVials } from "./quantities";

const ZCountLineSchema = z.strictObject({
  batchId: ZIdSchema,
  /** Doses found on the shelf (whole vials). */
  countedDoses: z.number().int().nonnegative().max(MAX_LINE_DOSES),
  /** VVM stage seen during the count, if checked. */
  vvmStage: z.number().int().min(1).max(4).optional(),
});

export const ZRecordStockCountSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  orgUnitId: ZIdSchema,
  occurredAt: ZOccurredAtSchema.optional(),
  note: ZNoteSchema.optional(),
  lines: z
    .array(ZCountLineSchema)
    .min(1)
    .max(100)
    .refine(hasDistinct("batchId"), { error: "each lot may appear only once" }),
});
export type TRecordStockCount = z.infer<typeof ZRecordStockCountSchema>;

export type CountedLine = {
  batchId: number;
  previousDoses: number;
  countedDoses: number;
  differenceDoses: number;
  entryId: number;
};
export type StockCountResult = { lines: CountedLine[]; entries: PostedEntry[] };

/**
 * Records a physical count: each lot gets a `count` entry of (counted − balance), so its
 * `balanceAfter` is the counted quantity. Lots that match still get an entry of 0: the stock
 * card then shows the count happened. The balance is read under a row lock, so a movement
 * committed meanwhile is not overwritten.
 */
export async function recordStockCount(ctx: DomainContext, input: TRecordStockCount): Promise<StockCountResult> {
  const action = "stock.recordStockCount";
  const held = await requireBatchesHeld(
    ctx,
    input.orgUnitId,
    input.lines.map((line) => line.batchId),
    action,
  );
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    const occurredAt = occurredAtOf(input);
    const lines = [...input.lines].sort((a, b) => a.batchId - b.batchId);
    const previous = new Map<number, number>();
    const drafts = [];
    for (const line of lines) {
      const lot = held.get(line.batchId);
      if (!lot) throw new Error(`lot ${line.batchId} was checked as held`);
      requireWholeVials(line.countedDoses, lot);
      const current = await lockedQuantity(tx, input.orgUnitId, line.batchId);
      previous.set(line.batchId, current);
      drafts.push(
        lotMovementDraft(ctx, input, lot, occurredAt, {
          movementType: "count",
          quantity: line.countedDoses - current,
          vvmStage: line.vvmStage ?? null,
        }),
      );
    }
    const { entries } = await postMovements(tx, ctx, action, input, drafts);
    const counted = entries.map((entry) => ({
      batchId: entry.batchId,
      previousDoses: previous.get(entry.batchId) ?? 0,
      countedDoses: entry.balanceAfter,
      differenceDoses: entry.quantity,
      entryId: entry.id,
    }));
    return { lines: counted, entries };
  });
}

async function lockedQuantity(tx: Transaction, orgUnitId: number, batchId: number): Promise<number> {
  const [row] = await tx
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, orgUnitId), eq(stockBalances.batchId, batchId)))
    .for("update");
  return row?.quantity ?? 0;
}
