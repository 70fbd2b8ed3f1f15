import { shipmentLines, shipments } from "@rantai/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { ZIdempotencyKeySchema, ZIdSchema } from "../kernel/schemas";
import { idempotentCall } from "../stock/mutation";
import { requireBatchesHeld } from "../stock/permissions";
import type { ShipmentWithParties } from "./access";
import { checkDraftLines, type DraftShipment, insertShipmentLines, ZShipmentLinesSchema } from "./shipment-lines";
import { type ShipmentSummary, summarise } from "./shipment-status";
import { findRoute } from "./supply-routes";

export const ZEditDraftShipmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  shipmentId: ZIdSchema,
  /** The draft's new lines; they replace the old ones entirely. */
  lines: ZShipmentLinesSchema,
});
export type TEditDraftShipment = z.infer<typeof ZEditDraftShipmentSchema>;

export type EditedShipment = ShipmentSummary & { lines: DraftShipment["lines"] };

/**
 * Replaces the lines of a draft (other lots, other quantities) before it is dispatched. The draft
 * row is locked first, so an edit racing a dispatch either lands before it or is refused: a
 * shipment's lines never change once its stock has moved. The new lines get the same early
 * checks as a new draft; dispatch checks the stock again under lock.
 */
export async function editDraftShipment(ctx: DomainContext, found: ShipmentWithParties, input: TEditDraftShipment) {
  const action = "distribution.editDraftShipment";
  const { shipment, sender, receiver } = found;
  const held = await requireBatchesHeld(
    ctx,
    sender.id,
    input.lines.map((line) => line.batchId),
    action,
  );
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<EditedShipment> => {
    const [locked] = await tx
      .select({ status: shipments.status })
      .from(shipments)
      .where(eq(shipments.id, shipment.id))
      .for("update");
    if (locked?.status !== "draft") {
      throw new AppError(
        "distribution.shipment_status",
        `Shipment ${shipment.id} is ${locked?.status ?? "gone"}; only a draft can be edited.`,
      );
    }
    const kind = await findRoute(tx, sender, receiver);
    if (!kind) {
      throw new AppError(
        "distribution.no_supply_link",
        `${sender.name} no longer has a supply link with ${receiver.name}; this draft cannot be edited. Cancel it.`,
      );
    }
    checkDraftLines(input.lines, held, kind, sender.name, new Date());
    await tx.delete(shipmentLines).where(eq(shipmentLines.shipmentId, shipment.id));
    const lines = await insertShipmentLines(tx, shipment.id, input.lines, held);
    const edited: EditedShipment = { ...summarise(shipment, kind, "draft"), lines };
    await recordChange(tx, ctx, {
      action,
      entityType: "shipment",
      entityId: shipment.id,
      orgUnitId: sender.id,
      operation: "update",
      payload: edited,
    });
    return edited;
  });
}
