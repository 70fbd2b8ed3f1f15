import { discardReasons } from "@rantai/db";
import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema, ZOccurredAtSchema } from "../kernel/schemas";
import { idempotentCall, lotMovementDraft, occurredAtOf, postMovements } from "./mutation";
import { requireBatchesHeld } from "./permissions";
import { vialsToDoses } from "./quantities";
import type { MovementResult } from "./receipts";

const ZDiscardLineSchema = z.strictObject({
  batchId: ZIdSchema,
  vials: z.number().int().positive().max(100_000),
  reason: z.enum(discardReasons),
});

/** Vials thrown away, each lot with its reason; "other" needs a note saying what happened. */
export const ZRecordDiscardSchema = z
  .strictObject({
    idempotencyKey: ZIdempotencyKeySchema,
    orgUnitId: ZIdSchema,
    occurredAt: ZOccurredAtSchema.optional(),
    note: ZNoteSchema.optional(),
    lines: z
      .array(ZDiscardLineSchema)
      .min(1)
      .max(50)
      .refine(hasDistinct("batchId"), { error: "each lot may appear only once" }),
  })
  .refine((input) => input.note !== undefined || input.lines.every((line) => line.reason !== "other"), {
    error: "a discard with reason 'other' needs a note",
    path: ["note"],
  });
export type TRecordDiscard = z.infer<typeof ZRecordDiscardSchema>;

/**
 * Records discarded vials. Any lot may be discarded, including expired and VVM-unusable ones
 * (that is what they are for). Discards with reasons other than open_vial_policy are the
 * closed-vial wastage of the wastage indicators.
 */
export async function recordDiscard(ctx: DomainContext, input: TRecordDiscard): Promise<MovementResult> {
  const action = "stock.recordDiscard";
  const held = await requireBatchesHeld(
    ctx,
    input.orgUnitId,
    input.lines.map((line) => line.batchId),
    action,
  );
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    const occurredAt = occurredAtOf(input);
    const drafts = input.lines.map((line) => {
      const lot = held.get(line.batchId);
      if (!lot) throw new Error(`lot ${line.batchId} was checked as held`);
      return lotMovementDraft(ctx, input, lot, occurredAt, {
        movementType: "discard",
        quantity: -vialsToDoses(line.vials, lot.dosesPerVial),
        reason: line.reason,
      });
    });
    return postMovements(tx, ctx, action, input, drafts);
  });
}
