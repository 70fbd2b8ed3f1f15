import {
  batches,
  items,
  notificationOutbox,
  shipmentLines,
  shipmentReceiptLines,
  shipmentReceipts,
  stockLedger,
  type Transaction,
} from "@rantai/db";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { insertId } from "../kernel/db-errors";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema } from "../kernel/schemas";
import { type LedgerEntryDraft, type PostedEntry, postLedgerEntries } from "../stock/ledger";
import { idempotentCall } from "../stock/mutation";
import type { ShipmentWithParties } from "./access";
import { planReceipt, type ReceivedLineSummary, ZReceivedLineSchema } from "./receipt-plan";
import { movementTypesOf, moveShipmentStatus, type ShipmentSummary, summarise } from "./shipment-status";
import type { RouteKind } from "./supply-routes";

export const ZReceiveShipmentSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  shipmentId: ZIdSchema,
  note: ZNoteSchema.optional(),
  /** One report per shipment line; leave out when everything arrived as shipped. */
  lines: z
    .array(ZReceivedLineSchema)
    .min(1)
    .max(50)
    .refine(hasDistinct("shipmentLineId"), { error: "each shipment line may be reported only once" })
    .optional(),
});
export type TReceiveShipment = z.infer<typeof ZReceiveShipmentSchema>;

export type ReceiveResult = ShipmentSummary & {
  receiptId: number;
  lines: ReceivedLineSummary[];
  entries: PostedEntry[];
};

/**
 * Receives a dispatched shipment in one transaction: status dispatched → received (guarded, and
 * `shipment_receipts` is unique per shipment, so it can never be received twice), the receipt
 * rows with their discrepancies, and the receiver's entries: transfer_in/return_in for what
 * arrived, then a discard for what arrived damaged. Doses short never enter any store.
 */
export async function receiveShipment(ctx: DomainContext, found: ShipmentWithParties, input: TReceiveShipment) {
  const action = "distribution.receiveShipment";
  const { shipment, sender, receiver } = found;
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<ReceiveResult> => {
    const now = new Date();
    await moveShipmentStatus(tx, shipment.id, "dispatched", "received", {
      receivedBy: ctx.actor.userId,
      receivedAt: now,
    });
    const kind = await dispatchedKind(tx, shipment.id);
    const plan = planReceipt(await findShippedLines(tx, shipment.id), input.lines, await findLotItems(tx, input));
    const receiptId = insertId(
      await tx.insert(shipmentReceipts).values({
        shipmentId: shipment.id,
        receivedBy: ctx.actor.userId,
        receivedAt: now,
        note: input.note ?? null,
      }),
    );
    await tx.insert(shipmentReceiptLines).values(plan.rows.map((row) => ({ ...row, receiptId })));
    const common = { orgUnitId: receiver.id, shipmentId: shipment.id, occurredAt: now, userId: ctx.actor.userId };
    const drafts: LedgerEntryDraft[] = [
      ...plan.arrivals.map((arrival) => ({
        ...common,
        ...arrival,
        movementType: movementTypesOf(kind).in,
        quantity: arrival.doses,
        counterpartyOrgUnitId: sender.id,
        reference: `shipment:${shipment.id}`,
        idempotencyKey: input.idempotencyKey,
      })),
      ...plan.damaged.map((damage) => ({
        ...common,
        itemId: damage.itemId,
        batchId: damage.batchId,
        movementType: "discard" as const,
        quantity: -damage.doses,
        reason: damage.reason,
        note: `Arrived damaged in shipment ${shipment.id}`,
        reference: `shipment:${shipment.id}`,
        // One discard per line, so it needs a ledger key of its own (unique per key and lot).
        idempotencyKey: `${input.idempotencyKey}:damaged:${damage.shipmentLineId}`,
      })),
    ];
    const entries = await postLedgerEntries(tx, drafts);
    const summary = summarise(shipment, kind, "received");
    const result = { ...summary, receiptId, lines: plan.lines, entries };
    if (plan.hasDiscrepancy) {
      await tx.insert(notificationOutbox).values({
        kind: "shipment_received_with_discrepancy",
        orgUnitId: sender.id,
        aggregateType: "shipment",
        aggregateId: String(shipment.id),
        eventKey: `shipment:${shipment.id}:received`,
        payload: { ...summary, receiverName: receiver.name, lines: plan.lines },
      });
    }
    await recordChange(tx, ctx, {
      action,
      entityType: "shipment",
      entityId: shipment.id,
      orgUnitId: receiver.id,
      operation: "update",
      payload: result,
    });
    return result;
  });
}

/** Whether the shipment left as a transfer or a return, from its dispatch entries (links may change since). */
async function dispatchedKind(tx: Transaction, shipmentId: number): Promise<RouteKind> {
  const [entry] = await tx
    .select({ movementType: stockLedger.movementType })
    .from(stockLedger)
    .where(
      and(eq(stockLedger.shipmentId, shipmentId), inArray(stockLedger.movementType, ["transfer_out", "return_out"])),
    )
    .limit(1);
  return entry?.movementType === "return_out" ? "return" : "transfer";
}

async function findShippedLines(tx: Transaction, shipmentId: number) {
  return tx
    .select({
      id: shipmentLines.id,
      itemId: shipmentLines.itemId,
      itemName: items.name,
      dosesPerVial: items.dosesPerVial,
      batchId: shipmentLines.batchId,
      quantity: shipmentLines.quantity,
      vvmStage: shipmentLines.vvmStage,
    })
    .from(shipmentLines)
    .innerJoin(items, eq(items.id, shipmentLines.itemId))
    .where(eq(shipmentLines.shipmentId, shipmentId))
    .orderBy(shipmentLines.id);
}

/** The item of each lot named as a wrong lot. */
async function findLotItems(tx: Transaction, input: TReceiveShipment): Promise<Map<number, number>> {
  const ids = (input.lines ?? []).flatMap((line) => (line.receivedBatchId === undefined ? [] : [line.receivedBatchId]));
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: batches.id, itemId: batches.itemId })
    .from(batches)
    .where(inArray(batches.id, ids));
  return new Map(rows.map((row) => [row.id, row.itemId]));
}
