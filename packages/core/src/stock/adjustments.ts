import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { MAX_LINE_DOSES, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema, ZOccurredAtSchema } from "../kernel/schemas";
import { adjustmentReasons, isAdjustmentDirectionAllowed } from "./adjustment-rules";
import { idempotentCall, lotMovementDraft, occurredAtOf, postMovements } from "./mutation";
import { requireBatchesHeld } from "./permissions";
import { requireWholeVials } from "./quantities";
import type { MovementResult } from "./receipts";

export const ZRecordAdjustmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  orgUnitId: ZIdSchema,
  batchId: ZIdSchema,
  /** Signed doses, whole vials: + adds to stock, − removes from it. */
  doses: z
    .number()
    .int()
    .min(-MAX_LINE_DOSES)
    .max(MAX_LINE_DOSES)
    .refine((doses) => doses !== 0, { error: "an adjustment must change stock" }),
  reason: z.enum(adjustmentReasons),
  note: ZNoteSchema,
  occurredAt: ZOccurredAtSchema.optional(),
});
export type TRecordAdjustment = z.infer<typeof ZRecordAdjustmentSchema>;

/** Records a signed adjustment of one lot with its reason and an explanation (a note is required). */
export async function recordAdjustment(ctx: DomainContext, input: TRecordAdjustment): Promise<MovementResult> {
  const action = "stock.recordAdjustment";
  const held = await requireBatchesHeld(ctx, input.orgUnitId, [input.batchId], action);
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    const lot = held.get(input.batchId);
    if (!lot) throw new Error(`lot ${input.batchId} was checked as held`);
    if (!isAdjustmentDirectionAllowed(input.reason, input.doses)) {
      throw new AppError(
        "stock.adjustment_direction",
        `An adjustment with reason '${input.reason}' cannot ${input.doses > 0 ? "add" : "remove"} stock.`,
      );
    }
    requireWholeVials(input.doses, lot);
    const draft = lotMovementDraft(ctx, input, lot, occurredAtOf(input), {
      movementType: "adjustment",
      quantity: input.doses,
      reason: input.reason,
    });
    return postMovements(tx, ctx, action, input, [draft]);
  });
}
