import type { OrgUnit } from "@rantai/db";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, ZIdempotencyKeySchema, ZIdSchema } from "../kernel/schemas";
import { idempotentCall } from "../stock/mutation";
import { requireBatchesHeld } from "../stock/permissions";
import { checkDraftLines, insertDraftShipment, ZShipmentLinesSchema } from "./shipment-lines";
import { type ShipmentSummary, summarise } from "./shipment-status";
import { requireCounterpart } from "./supply-routes";

export const ZAllocateSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  senderOrgUnitId: ZIdSchema,
  shipments: z
    .array(z.strictObject({ receiverOrgUnitId: ZIdSchema, lines: ZShipmentLinesSchema }))
    .min(1)
    .max(100)
    .refine(hasDistinct("receiverOrgUnitId"), { error: "each receiving store may appear only once" }),
});
export type TAllocate = z.infer<typeof ZAllocateSchema>;

export type PushAllocation = { shipments: (ShipmentSummary & { doses: number })[] };

/**
 * Push distribution: a store allocates to many of the stores it supplies at once, without a
 * request (OpenLMIS "requisition-less order"). It creates one draft shipment per receiver in a
 * single transaction — all or none — checking that, together, they do not over-allocate a lot.
 * Each draft is then dispatched and received like any other shipment.
 */
export async function allocateShipments(ctx: DomainContext, sender: OrgUnit, input: TAllocate) {
  const action = "distribution.allocate";
  for (const planned of input.shipments) {
    await requireCounterpart(ctx, sender, planned.receiverOrgUnitId, ["transfer"], action);
  }
  const allLines = input.shipments.flatMap((planned) => planned.lines);
  const batchIds = [...new Set(allLines.map((line) => line.batchId))];
  const held = await requireBatchesHeld(ctx, sender.id, batchIds, action);
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<PushAllocation> => {
    checkDraftLines(allLines, held, "transfer", sender.name, new Date());
    const created: PushAllocation["shipments"] = [];
    for (const [index, planned] of input.shipments.entries()) {
      const draft = await insertDraftShipment(tx, {
        senderOrgUnitId: sender.id,
        receiverOrgUnitId: planned.receiverOrgUnitId,
        requestId: null,
        // Each draft needs a key of its own (unique per shipment); derived, so a replay finds the same.
        idempotencyKey: `${input.idempotencyKey}:${index}`,
        createdBy: ctx.actor.userId,
        lines: planned.lines,
        held,
      });
      const summary = summarise({ ...draft, id: draft.shipmentId }, "transfer", "draft");
      const doses = draft.lines.reduce((sum, line) => sum + line.doses, 0);
      created.push({ ...summary, doses });
      await recordChange(tx, ctx, {
        action,
        entityType: "shipment",
        entityId: draft.shipmentId,
        orgUnitId: sender.id,
        operation: "create",
        payload: { ...summary, lines: draft.lines },
      });
    }
    return { shipments: created };
  });
}
