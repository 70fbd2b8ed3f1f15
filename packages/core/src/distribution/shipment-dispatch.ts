import { notificationOutbox, stockRequests, type Transaction } from "@rantai/db";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { ZIdempotencyKeySchema, ZIdSchema } from "../kernel/schemas";
import { type PostedEntry, postLedgerEntries } from "../stock/ledger";
import { idempotentCall } from "../stock/mutation";
import type { ShipmentWithParties } from "./access";
import {
  findShipmentLines,
  movementTypesOf,
  moveShipmentStatus,
  type ShipmentSummary,
  summarise,
} from "./shipment-status";
import { findRoute } from "./supply-routes";

export const ZDispatchShipmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  shipmentId: ZIdSchema,
});
export type TDispatchShipment = z.infer<typeof ZDispatchShipmentSchema>;

export type DispatchResult = ShipmentSummary & { entries: PostedEntry[] };

/**
 * Dispatches a draft: in one transaction the status moves draft → dispatched (guarded) and every
 * line leaves the sender's stock (transfer_out / return_out, guarded against going negative).
 * If any lot is short, nothing moves. From here the doses are in transit, visible to both sides,
 * until the receiver receives the shipment. A transfer may not carry expired or VVM-unusable lots.
 */
export async function dispatchShipment(ctx: DomainContext, found: ShipmentWithParties, input: TDispatchShipment) {
  const action = "distribution.dispatchShipment";
  const { shipment, sender, receiver } = found;
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<DispatchResult> => {
    const now = new Date();
    await moveShipmentStatus(tx, shipment.id, "draft", "dispatched", {
      dispatchedBy: ctx.actor.userId,
      dispatchedAt: now,
    });
    const kind = await findRoute(tx, sender, receiver);
    if (!kind) {
      throw new AppError(
        "distribution.no_supply_link",
        `${sender.name} no longer has a supply link with ${receiver.name}; this shipment cannot be dispatched. Cancel it.`,
      );
    }
    const lines = await findShipmentLines(tx, shipment.id);
    const entries = await postLedgerEntries(
      tx,
      lines.map((line) => ({
        orgUnitId: sender.id,
        itemId: line.itemId,
        batchId: line.batchId,
        movementType: movementTypesOf(kind).out,
        quantity: -line.quantity,
        requireUsable: kind === "transfer",
        counterpartyOrgUnitId: receiver.id,
        shipmentId: shipment.id,
        reference: `shipment:${shipment.id}`,
        idempotencyKey: input.idempotencyKey,
        occurredAt: now,
        userId: ctx.actor.userId,
      })),
    );
    await carryVvmStages(tx, shipment.id, sender.id);
    if (shipment.requestId !== null) {
      await tx
        .update(stockRequests)
        .set({ status: "fulfilled" })
        .where(and(eq(stockRequests.id, shipment.requestId), eq(stockRequests.status, "approved")));
    }
    const summary = summarise(shipment, kind, "dispatched");
    await tx.insert(notificationOutbox).values({
      kind: "shipment_dispatched",
      orgUnitId: receiver.id,
      aggregateType: "shipment",
      aggregateId: String(shipment.id),
      eventKey: `shipment:${shipment.id}:dispatched`,
      payload: { ...summary, senderName: sender.name },
    });
    await recordChange(tx, ctx, {
      action,
      entityType: "shipment",
      entityId: shipment.id,
      orgUnitId: sender.id,
      operation: "update",
      payload: { ...summary, entries },
    });
    return { ...summary, entries };
  });
}

/**
 * The VVM stage travels with the lot: each line takes the sender's stage at dispatch if it
 * worsened since the draft was made (stages only move up).
 */
async function carryVvmStages(tx: Transaction, shipmentId: number, senderId: number): Promise<void> {
  await tx.execute(sql`
    UPDATE shipment_lines l
    JOIN stock_balances b ON b.org_unit_id = ${senderId} AND b.batch_id = l.batch_id
    SET l.vvm_stage = GREATEST(l.vvm_stage, b.vvm_stage)
    WHERE l.shipment_id = ${shipmentId}`);
}
