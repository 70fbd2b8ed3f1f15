import { index, int, mysqlEnum, mysqlTable, primaryKey, tinyint, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, ref, timestamp, updatedAt } from "./columns";

/** Who may ship to whom. By default a store supplies its children; extra links are rows here. */
export const supplyLinks = mysqlTable(
  "supply_links",
  {
    supplierOrgUnitId: ref().notNull(),
    receiverOrgUnitId: ref().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.supplierOrgUnitId, t.receiverOrgUnitId] })],
);

export const requestStatuses = ["draft", "submitted", "approved", "rejected", "fulfilled", "cancelled"] as const;

export const stockRequests = mysqlTable(
  "stock_requests",
  {
    id: bigId(),
    requesterOrgUnitId: ref().notNull(),
    supplierOrgUnitId: ref().notNull(),
    status: mysqlEnum(requestStatuses).notNull(),
    idempotencyKey: varchar({ length: 96 }).notNull(),
    createdBy: ref().notNull(),
    submittedAt: timestamp(),
    decidedBy: ref(),
    decidedAt: timestamp(),
    rejectionReason: varchar({ length: 500 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("stock_requests_idempotency_uq").on(t.idempotencyKey),
    index("stock_requests_requester_idx").on(t.requesterOrgUnitId, t.status),
    index("stock_requests_supplier_idx").on(t.supplierOrgUnitId, t.status),
  ],
);

export const stockRequestLines = mysqlTable(
  "stock_request_lines",
  {
    id: bigId(),
    requestId: bigRef().notNull(),
    itemId: ref().notNull(),
    stockOnHand: int().notNull(),
    averageMonthlyConsumption: int().notNull(),
    suggestedDoses: int().notNull(),
    requestedDoses: int().notNull(),
    approvedDoses: int(),
  },
  (t) => [uniqueIndex("stock_request_lines_item_uq").on(t.requestId, t.itemId)],
);

export const shipmentStatuses = ["draft", "dispatched", "received", "cancelled"] as const;

export const shipments = mysqlTable(
  "shipments",
  {
    id: bigId(),
    senderOrgUnitId: ref().notNull(),
    receiverOrgUnitId: ref().notNull(),
    requestId: bigRef(),
    status: mysqlEnum(shipmentStatuses).notNull(),
    idempotencyKey: varchar({ length: 96 }).notNull(),
    createdBy: ref().notNull(),
    dispatchedBy: ref(),
    dispatchedAt: timestamp(),
    receivedBy: ref(),
    receivedAt: timestamp(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("shipments_idempotency_uq").on(t.idempotencyKey),
    index("shipments_sender_idx").on(t.senderOrgUnitId, t.status),
    index("shipments_receiver_idx").on(t.receiverOrgUnitId, t.status),
  ],
);

export const shipmentLines = mysqlTable(
  "shipment_lines",
  {
    id: bigId(),
    shipmentId: bigRef().notNull(),
    itemId: ref().notNull(),
    batchId: ref().notNull(),
    quantity: int().notNull(),
    vvmStage: tinyint({ unsigned: true }).notNull(),
  },
  (t) => [uniqueIndex("shipment_lines_batch_uq").on(t.shipmentId, t.batchId)],
);

export const discrepancyKinds = ["none", "short", "damaged", "wrong_batch", "excess"] as const;

/** The receiving side's record of a shipment; unique per shipment, so it cannot be received twice. */
export const shipmentReceipts = mysqlTable(
  "shipment_receipts",
  {
    id: bigId(),
    shipmentId: bigRef().notNull(),
    receivedBy: ref().notNull(),
    receivedAt: timestamp().notNull(),
    note: varchar({ length: 500 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("shipment_receipts_shipment_uq").on(t.shipmentId)],
);

export const shipmentReceiptLines = mysqlTable(
  "shipment_receipt_lines",
  {
    id: bigId(),
    receiptId: bigRef().notNull(),
    shipmentLineId: bigRef().notNull(),
    batchId: ref().notNull(),
    receivedQuantity: int().notNull(),
    discrepancy: mysqlEnum(discrepancyKinds).notNull(),
    discrepancyQuantity: int().notNull().default(0),
    note: varchar({ length: 500 }),
  },
  (t) => [index("shipment_receipt_lines_receipt_idx").on(t.receiptId)],
);
