import { type OrgUnit, stockRequests } from "@rantai/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema } from "../kernel/schemas";
import { idempotentCall } from "../stock/mutation";
import { requireBatchesHeld } from "../stock/permissions";
import { requireRequestBetween, type ShipmentWithParties } from "./access";
import { checkDraftLines, type DraftShipment, insertDraftShipment, ZShipmentLinesSchema } from "./shipment-lines";
import { moveShipmentStatus, type ShipmentSummary, summarise } from "./shipment-status";
import { findRoute, requireCounterpart } from "./supply-routes";

export const ZCreateShipmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  senderOrgUnitId: ZIdSchema,
  /** A store the sender supplies (a transfer) or the sender's supplier (a return). */
  receiverOrgUnitId: ZIdSchema,
  /** The approved request this shipment fulfils, if any. */
  requestId: ZIdSchema.optional(),
  lines: ZShipmentLinesSchema,
});
export type TCreateShipment = z.infer<typeof ZCreateShipmentSchema>;

export type CreatedShipment = ShipmentSummary & { lines: DraftShipment["lines"] };

/**
 * Creates a draft shipment along a supply link: down it is a transfer, back up it is a return
 * (same flow, return_out/return_in entries). A draft moves no stock; dispatch does.
 */
export async function createShipment(ctx: DomainContext, sender: OrgUnit, input: TCreateShipment) {
  const action = "distribution.createShipment";
  const { counterpart: receiver, kind } = await requireCounterpart(
    ctx,
    sender,
    input.receiverOrgUnitId,
    ["transfer", "return"],
    action,
  );
  if (input.requestId !== undefined) {
    await requireRequestBetween(ctx, input.requestId, { supplierId: sender.id, requesterId: receiver.id }, action);
  }
  const batchIds = input.lines.map((line) => line.batchId);
  const held = await requireBatchesHeld(ctx, sender.id, batchIds, action);
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<CreatedShipment> => {
    if (input.requestId !== undefined) {
      const [request] = await tx
        .select({ status: stockRequests.status })
        .from(stockRequests)
        .where(eq(stockRequests.id, input.requestId))
        .for("update");
      if (request?.status !== "approved") {
        throw new AppError(
          "distribution.request_not_approved",
          `Request ${input.requestId} is not approved, so it cannot be shipped.`,
        );
      }
    }
    checkDraftLines(input.lines, held, kind, sender.name, new Date());
    const draft = await insertDraftShipment(tx, {
      senderOrgUnitId: sender.id,
      receiverOrgUnitId: receiver.id,
      requestId: input.requestId ?? null,
      idempotencyKey: input.idempotencyKey,
      createdBy: ctx.actor.userId,
      lines: input.lines,
      held,
    });
    const created = { ...summarise({ ...draft, id: draft.shipmentId }, kind, "draft"), lines: draft.lines };
    await recordChange(tx, ctx, {
      action,
      entityType: "shipment",
      entityId: draft.shipmentId,
      orgUnitId: sender.id,
      operation: "create",
      payload: created,
    });
    return created;
  });
}

export const ZCancelShipmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  shipmentId: ZIdSchema,
  reason: ZNoteSchema,
});
export type TCancelShipment = z.infer<typeof ZCancelShipmentSchema>;

/** Cancels a draft (nothing has moved yet). A dispatched shipment is closed by receiving it, shortages and all. */
export async function cancelShipment(ctx: DomainContext, found: ShipmentWithParties, input: TCancelShipment) {
  const action = "distribution.cancelShipment";
  const { shipment, sender, receiver } = found;
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<ShipmentSummary> => {
    await moveShipmentStatus(tx, shipment.id, "draft", "cancelled");
    const kind = (await findRoute(tx, sender, receiver)) ?? "transfer";
    const summary = summarise(shipment, kind, "cancelled");
    await recordChange(tx, ctx, {
      action,
      entityType: "shipment",
      entityId: shipment.id,
      orgUnitId: sender.id,
      operation: "update",
      payload: { ...summary, reason: input.reason },
    });
    return summary;
  });
}
