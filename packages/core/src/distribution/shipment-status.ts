import { shipmentLines, shipments, type Transaction } from "@rantai/db";
import { and, eq } from "drizzle-orm";
import { affectedRows } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import type { RouteKind } from "./supply-routes";

type ShipmentStatus = (typeof shipments.$inferSelect)["status"];
export type Shipment = typeof shipments.$inferSelect;

const statusWords: Record<ShipmentStatus, string> = {
  draft: "still a draft",
  dispatched: "already dispatched",
  received: "already received",
  cancelled: "cancelled",
};

/**
 * Moves a shipment from one status to the next with a guarded UPDATE (`… AND status = from`),
 * so two requests racing on one shipment cannot both dispatch or both receive it.
 */
export async function moveShipmentStatus(
  tx: Transaction,
  shipmentId: number,
  from: ShipmentStatus,
  to: ShipmentStatus,
  set: Partial<Pick<Shipment, "dispatchedBy" | "dispatchedAt" | "receivedBy" | "receivedAt">> = {},
): Promise<void> {
  const moved = affectedRows(
    await tx
      .update(shipments)
      .set({ ...set, status: to })
      .where(and(eq(shipments.id, shipmentId), eq(shipments.status, from))),
  );
  if (moved === 1) return;
  const [current] = await tx.select({ status: shipments.status }).from(shipments).where(eq(shipments.id, shipmentId));
  const state = current ? statusWords[current.status] : "gone";
  throw new AppError("distribution.shipment_status", `Shipment ${shipmentId} is ${state}, so it cannot be ${to} now.`);
}

/**
 * A shipment's lines as last committed: a locking read, so a dispatch that follows a draft edit
 * committed after this transaction's snapshot moves the edited lines, not the old ones.
 */
export async function findShipmentLines(tx: Transaction, shipmentId: number) {
  return tx
    .select()
    .from(shipmentLines)
    .where(eq(shipmentLines.shipmentId, shipmentId))
    .orderBy(shipmentLines.id)
    .for("update");
}

/** Ledger movement types of each side of a shipment. */
export function movementTypesOf(kind: RouteKind) {
  return kind === "transfer"
    ? ({ out: "transfer_out", in: "transfer_in" } as const)
    : ({ out: "return_out", in: "return_in" } as const);
}

/** What every shipment mutation returns and publishes. */
export type ShipmentSummary = {
  shipmentId: number;
  kind: RouteKind;
  status: ShipmentStatus;
  senderOrgUnitId: number;
  receiverOrgUnitId: number;
};

export function summarise(
  shipment: Pick<Shipment, "id" | "senderOrgUnitId" | "receiverOrgUnitId">,
  kind: RouteKind,
  status: ShipmentStatus,
): ShipmentSummary {
  return {
    shipmentId: shipment.id,
    kind,
    status,
    senderOrgUnitId: shipment.senderOrgUnitId,
    receiverOrgUnitId: shipment.receiverOrgUnitId,
  };
}
