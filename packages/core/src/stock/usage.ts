import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema, ZOccurredAtSchema } from "../kernel/schemas";
import { idempotentCall, lotMovementDraft, occurredAtOf, postMovements } from "./mutation";
import { requireBatchesHeld } from "./permissions";
import { requireAdministeredWithinOpened, vialsToDoses } from "./quantities";
import type { MovementResult } from "./receipts";
import { ZUsageLineSchema } from "./usage-line";

/** An immunization session: the vials opened leave stock whole; the doses given are recorded beside them. */
export const ZRecordUsageSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  orgUnitId: ZIdSchema,
  occurredAt: ZOccurredAtSchema.optional(),
  note: ZNoteSchema.optional(),
  lines: z
    .array(ZUsageLineSchema)
    .min(1)
    .max(50)
    .refine(hasDistinct("batchId"), { error: "each lot may appear only once" }),
});
export type TRecordUsage = z.infer<typeof ZRecordUsageSchema>;

/**
 * Records usage: vials opened × doses per vial leave stock (open-vial wastage is the part not
 * given). Expired and VVM-unusable lots are refused.
 */
export async function recordUsage(ctx: DomainContext, input: TRecordUsage): Promise<MovementResult> {
  const action = "stock.recordUsage";
  const batchIds = input.lines.map((line) => line.batchId);
  const held = await requireBatchesHeld(ctx, input.orgUnitId, batchIds, action);
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx) => {
    const occurredAt = occurredAtOf(input);
    const drafts = input.lines.map((line) => {
      const lot = held.get(line.batchId);
      if (!lot) throw new Error(`lot ${line.batchId} was checked as held`);
      requireAdministeredWithinOpened(line.dosesAdministered, line.vialsOpened, lot);
      return lotMovementDraft(ctx, input, lot, occurredAt, {
        movementType: "usage",
        quantity: -vialsToDoses(line.vialsOpened, lot.dosesPerVial),
        dosesAdministered: line.dosesAdministered,
        requireUsable: true,
      });
    });
    return postMovements(tx, ctx, action, input, drafts);
  });
}
