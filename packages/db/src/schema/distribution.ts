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

/** Image types a photo may have; the server checks the stored bytes against the declared one. */
export const photoContentTypes = ["image/jpeg", "image/png", "image/webp"] as const;
export const photoStatuses = ["pending", "confirmed"] as const;

/**
 * A photo of a shipment's receipt or of a damaged line, stored in the object store under a
 * random key that says nothing about the record. A row is made when an upload is requested
 * (pending) and confirmed once the stored object's size and bytes were checked; the phone's
 * idempotency key makes a retried request answer with the same row.
 */
export const photos = mysqlTable(
  "photos",
  {
    id: bigId(),
    objectKey: varchar({ length: 64 }).notNull(),
    facilityOrgUnitId: ref().notNull(),
    uploadedBy: ref().notNull(),
    shipmentId: bigRef().notNull(),
    shipmentLineId: bigRef(),
    batchId: ref(),
    contentType: mysqlEnum(photoContentTypes).notNull(),
    byteSize: int({ unsigned: true }).notNull(),
    status: mysqlEnum(photoStatuses).notNull(),
    idempotencyKey: varchar({ length: 96 }).notNull(),
    createdAt: createdAt(),
    confirmedAt: timestamp(),
  },
  (t) => [
    uniqueIndex("photos_object_key_uq").on(t.objectKey),
    uniqueIndex("photos_idempotency_uq").on(t.idempotencyKey),
    index("photos_shipment_idx").on(t.shipmentId, t.status),
  ],
);
