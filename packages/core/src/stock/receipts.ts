import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { runIdempotent } from "../kernel/idempotency";
import { MAX_LINE_DOSES, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema, ZOccurredAtSchema } from "../kernel/schemas";
import { getOrCreateBatch } from "./batches";
import type { LedgerEntryDraft, PostedEntry } from "./ledger";
import { idempotentCall, lotMovementDraft, occurredAtOf, postMovements } from "./mutation";
import { requireWholeVials } from "./quantities";

const ZReceiptLineSchema = z.strictObject({
  itemId: ZIdSchema,
  lotNumber: z.string().trim().min(1).max(64),
  expiryDate: z.iso.date(),
  manufacturer: z.string().trim().min(1).max(120),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/)
    .optional(),
  /** Doses received: whole vials of the item. */
  doses: z.number().int().positive().max(MAX_LINE_DOSES),
  vvmStage: z.number().int().min(1).max(4),
});

/**
 * Stock arriving from outside Rantai's stores (Bio Farma, UNICEF SD, a donation). Stock from a
 * parent store arrives by receiving its shipment (distribution.receiveShipment), never here,
 * so a dose can never be counted in two stores at once.
 */
export const ZRecordReceiptSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  orgUnitId: ZIdSchema,
  supplierName: z.string().trim().min(2).max(160),
  reference: z.string().trim().min(1).max(96).optional(),
  occurredAt: ZOccurredAtSchema.optional(),
  note: ZNoteSchema.optional(),
  lines: z
    .array(ZReceiptLineSchema)
    .min(1)
    .max(50)
    .refine((lines) => new Set(lines.map((line) => `${line.itemId}|${line.lotNumber}`)).size === lines.length, {
      error: "each lot may appear only once",
    }),
});
export type TRecordReceipt = z.infer<typeof ZRecordReceiptSchema>;

export type MovementResult = { entries: PostedEntry[] };

/** Records a receipt from outside: creates new lots, adds their doses and VVM stage to the store. */
export async function recordReceipt(ctx: DomainContext, input: TRecordReceipt): Promise<MovementResult> {
  const action = "stock.recordReceipt";
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    const occurredAt = occurredAtOf(input);
    const drafts: LedgerEntryDraft[] = [];
    for (const line of input.lines) {
      const lot = await getOrCreateBatch(tx, line);
      requireWholeVials(line.doses, lot);
      drafts.push(
        lotMovementDraft(ctx, input, lot, occurredAt, {
          movementType: "receipt",
          quantity: line.doses,
          vvmStage: line.vvmStage,
          counterpartyName: input.supplierName,
          reference: input.reference ?? null,
        }),
      );
    }
    return postMovements(tx, ctx, action, input, drafts);
  });
}
