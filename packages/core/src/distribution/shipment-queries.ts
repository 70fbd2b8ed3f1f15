import {
  batches,
  type Executor,
  items,
  orgUnits,
  shipmentLines,
  shipmentReceiptLines,
  shipmentReceipts,
  shipmentStatuses,
  shipments,
} from "@rantai/db";
import { and, desc, eq, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { z } from "zod";
import { isAllowed } from "../kernel/authorization";
import type { Actor } from "../kernel/context";
import { keysetPage } from "../kernel/pagination";
import { ZIdSchema, ZLimitSchema } from "../kernel/schemas";
import { mayActFor, type ShipmentWithParties } from "./access";
import { directionFilter, ZDirectionSchema } from "./direction";

export const ZListShipmentsSchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  /** outgoing: sent by the store; incoming: sent to it. */
  direction: ZDirectionSchema,
  /** "dispatched" lists what is in transit; both sides see it. */
  status: z.enum(shipmentStatuses).optional(),
  limit: ZLimitSchema,
  /** The smallest shipment id of the previous page (newest first). */
  cursor: ZIdSchema.optional(),
});
export type TListShipments = z.infer<typeof ZListShipmentsSchema>;

const sender = alias(orgUnits, "sender");
const receiver = alias(orgUnits, "receiver");

/** Shipments sent by or to one store, newest first. */
export async function findShipments(db: Executor, orgUnitId: number, input: TListShipments) {
  const rows = await db
    .select({
      id: shipments.id,
      status: shipments.status,
      requestId: shipments.requestId,
      senderOrgUnitId: shipments.senderOrgUnitId,
      senderName: sender.name,
      receiverOrgUnitId: shipments.receiverOrgUnitId,
      receiverName: receiver.name,
      createdAt: shipments.createdAt,
      dispatchedAt: shipments.dispatchedAt,
      receivedAt: shipments.receivedAt,
    })
    .from(shipments)
    .innerJoin(sender, eq(sender.id, shipments.senderOrgUnitId))
    .innerJoin(receiver, eq(receiver.id, shipments.receiverOrgUnitId))
    .where(
      and(
        directionFilter(
          input.direction,
          { from: shipments.senderOrgUnitId, to: shipments.receiverOrgUnitId },
          orgUnitId,
        ),
        input.status === undefined ? undefined : eq(shipments.status, input.status),
        input.cursor === undefined ? undefined : lt(shipments.id, input.cursor),
      ),
    )
    .orderBy(desc(shipments.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, (row) => row.id);
}

/** One shipment with its lines (item, lot, expiry, VVM) and, once received, what arrived. */
export async function getShipmentDetail(db: Executor, actor: Actor, found: ShipmentWithParties) {
  const { shipment } = found;
  const lines = await db
    .select({
      id: shipmentLines.id,
      itemId: shipmentLines.itemId,
      itemName: items.name,
      batchId: shipmentLines.batchId,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      vvmStage: shipmentLines.vvmStage,
      doses: shipmentLines.quantity,
    })
    .from(shipmentLines)
    .innerJoin(items, eq(items.id, shipmentLines.itemId))
    .innerJoin(batches, eq(batches.id, shipmentLines.batchId))
    .where(eq(shipmentLines.shipmentId, shipment.id))
    .orderBy(shipmentLines.id);
  const [receipt] = await db.select().from(shipmentReceipts).where(eq(shipmentReceipts.shipmentId, shipment.id));
  const receiptLines = receipt
    ? await db.select().from(shipmentReceiptLines).where(eq(shipmentReceiptLines.receiptId, receipt.id))
    : [];
  return {
    id: shipment.id,
    status: shipment.status,
    requestId: shipment.requestId,
    sender: { id: found.sender.id, name: found.sender.name },
    receiver: { id: found.receiver.id, name: found.receiver.name },
    createdAt: shipment.createdAt,
    dispatchedAt: shipment.dispatchedAt,
    receivedAt: shipment.receivedAt,
    lines,
    /** What this user may do to it: edit, dispatch or cancel as the sender; receive as the receiver. */
    maySend: mayActFor(actor, found.sender),
    mayReceive: mayActFor(actor, found.receiver),
    /** Photos of a receipt are the receiving side's record: its store and the officers above it. */
    mayViewPhotos: isAllowed(actor, "distribution.read", { orgUnitPaths: [found.receiver.path] }),
    receipt: receipt
      ? {
          id: receipt.id,
          receivedAt: receipt.receivedAt,
          note: receipt.note,
          lines: receiptLines.map(({ receiptId: _receiptId, ...line }) => line),
        }
      : null,
  };
}
