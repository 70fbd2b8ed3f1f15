import { sql } from "drizzle-orm";
import {
  boolean,
  char,
  check,
  date,
  decimal,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  tinyint,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, id, ref, timestamp, updatedAt } from "./columns";

export const itemKinds = ["vaccine", "diluent", "syringe", "safety_box"] as const;
export type ItemKind = (typeof itemKinds)[number];

/** VVM types by days-to-discard-point at +37 °C (WHO/V&B/02.35); "none" for items without a VVM. */
export const vvmTypes = ["VVM2", "VVM7", "VVM14", "VVM30", "none"] as const;

/**
 * WHO/IVB/14.07: some opened multi-dose vials may be kept 28 days; all others are discarded
 * 6 h after opening or at the end of the session, whichever comes first.
 */
export const openVialPolicies = ["keep_28_days", "discard_6_hours", "not_applicable"] as const;

export const items = mysqlTable(
  "items",
  {
    id: id(),
    code: varchar({ length: 32 }).notNull(),
    name: varchar({ length: 120 }).notNull(),
    kind: mysqlEnum(itemKinds).notNull(),
    /** Vaccines and diluents: doses per vial. Devices: units per pack (quantities are then units). */
    dosesPerVial: smallint({ unsigned: true }).notNull(),
    storageMinC: decimal({ precision: 4, scale: 1, mode: "number" }),
    storageMaxC: decimal({ precision: 4, scale: 1, mode: "number" }),
    freezeSensitive: boolean().notNull(),
    vvmType: mysqlEnum(vvmTypes).notNull(),
    openVialPolicy: mysqlEnum(openVialPolicies).notNull(),
    /** The diluent that reconstitutes this (freeze-dried) vaccine. */
    diluentItemId: ref(),
    /** GS1 GTIN when known, for barcode entry. */
    gtin: varchar({ length: 14 }),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("items_code_uq").on(t.code)],
);

export const batches = mysqlTable(
  "batches",
  {
    id: id(),
    itemId: ref().notNull(),
    lotNumber: varchar({ length: 64 }).notNull(),
    expiryDate: date({ mode: "string" }).notNull(),
    manufacturer: varchar({ length: 120 }).notNull(),
    gtin: varchar({ length: 14 }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("batches_item_lot_uq").on(t.itemId, t.lotNumber), index("batches_expiry_idx").on(t.expiryDate)],
);

export const movementTypes = [
  "receipt",
  "transfer_out",
  "transfer_in",
  "usage",
  "adjustment",
  "discard",
  "return_out",
  "return_in",
  "count",
  "reversal",
] as const;
export type MovementType = (typeof movementTypes)[number];

export const discardReasons = [
  "expired",
  "vvm_discard_point",
  "frozen",
  "heat_exposed",
  "broken",
  "open_vial_policy",
  "other",
] as const;

/** VVM stages: 1 and 2 usable; 3 is the discard point; 4 is beyond it. */
export const vvmStages = [1, 2, 3, 4] as const;

/**
 * Append-only stock ledger: every movement of doses into or out of a store. History is never
 * edited; a correction is a `reversal` entry pointing at the entry it cancels.
 * `quantity` is signed doses (+ in, − out); `balanceAfter` is the store × batch balance after it.
 */
export const stockLedger = mysqlTable(
  "stock_ledger",
  {
    id: bigId(),
    orgUnitId: ref().notNull(),
    itemId: ref().notNull(),
    batchId: ref().notNull(),
    movementType: mysqlEnum(movementTypes).notNull(),
    quantity: int().notNull(),
    balanceAfter: int().notNull(),
    /** Doses given to people, for usage entries (quantity is what left stock: vials opened × doses). */
    dosesAdministered: int(),
    counterpartyOrgUnitId: ref(),
    /** Supplier or other outside party when the counterparty is not an org unit. */
    counterpartyName: varchar({ length: 160 }),
    reason: varchar({ length: 48 }),
    reference: varchar({ length: 96 }),
    shipmentId: bigRef(),
    vvmStage: tinyint({ unsigned: true }),
    reversesEntryId: bigRef(),
    note: varchar({ length: 500 }),
    /** Client-made key; unique forever so an offline phone can resend safely. */
    idempotencyKey: varchar({ length: 96 }).notNull(),
    occurredAt: timestamp().notNull(),
    recordedAt: createdAt(),
    userId: ref(),
  },
  (t) => [
    uniqueIndex("stock_ledger_idempotency_uq").on(t.idempotencyKey, t.batchId),
    index("stock_ledger_store_batch_idx").on(t.orgUnitId, t.batchId, t.id),
    index("stock_ledger_store_item_time_idx").on(t.orgUnitId, t.itemId, t.occurredAt),
    index("stock_ledger_shipment_idx").on(t.shipmentId),
    // A facility's last sync (the latest entry the server recorded for it) is one index dive.
    index("stock_ledger_store_recorded_idx").on(t.orgUnitId, t.recordedAt),
  ],
);

/** Current balance per store × batch, written in the same transaction as its ledger entries. */
export const stockBalances = mysqlTable(
  "stock_balances",
  {
    orgUnitId: ref().notNull(),
    batchId: ref().notNull(),
    itemId: ref().notNull(),
    quantity: int().notNull(),
    vvmStage: tinyint({ unsigned: true }).notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orgUnitId, t.batchId] }),
    index("stock_balances_store_item_idx").on(t.orgUnitId, t.itemId),
    check("stock_balances_non_negative", sql`${t.quantity} >= 0`),
  ],
);

/**
 * Each facility's vaccine stock figures (the scope figures of stock/scope-figures.ts) for one WIB
 * day, so the overview and facility table over 10,000 facilities read one row per facility
 * instead of grouping every balance. Kept exact by its writers: the ledger rewrites a store's row
 * in the transaction that moves its balances, the consumption-rate refresh after new rates. The
 * figures depend on the date only through expiry, so a row holds from `asOfDate` until
 * `validUntil` (exclusive: the first day a lot it holds expires or enters a 30/60/90-day window);
 * readers compute a facility without a row valid today from its balances instead.
 */
export const facilityStockSummaries = mysqlTable("facility_stock_summaries", {
  orgUnitId: ref().primaryKey(),
  asOfDate: date({ mode: "string" }).notNull(),
  validUntil: date({ mode: "string" }).notNull(),
  vaccines: int({ unsigned: true }).notNull(),
  stockOutItems: int({ unsigned: true }).notNull(),
  belowMinItems: int({ unsigned: true }).notNull(),
  aboveMaxItems: int({ unsigned: true }).notNull(),
  expiring30Doses: int({ unsigned: true }).notNull(),
  expiring60Doses: int({ unsigned: true }).notNull(),
  expiring90Doses: int({ unsigned: true }).notNull(),
  worstStatusRank: tinyint({ unsigned: true }).notNull(),
  /** The oldest consumption rate the statuses rest on; null without any. */
  ratesComputedAt: timestamp(),
  /** The facility's last sync: its latest ledger entry's `recordedAt`; null without any. */
  lastRecordedAt: timestamp(),
  refreshedAt: updatedAt(),
});

/** Min/max stock levels per store × item, in months of stock. */
export const stockLevels = mysqlTable(
  "stock_levels",
  {
    orgUnitId: ref().notNull(),
    itemId: ref().notNull(),
    minMonths: decimal({ precision: 4, scale: 2, mode: "number" }).notNull(),
    maxMonths: decimal({ precision: 4, scale: 2, mode: "number" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.itemId] })],
);

/**
 * Every client mutation's idempotency key with a hash of its payload and its first result:
 * a replay returns the stored result, the same key with another payload is a conflict.
 */
export const clientMutations = mysqlTable(
  "client_mutations",
  {
    idempotencyKey: varchar({ length: 96 }).primaryKey(),
    userId: ref(),
    procedure: varchar({ length: 96 }).notNull(),
    payloadHash: char({ length: 64 }).notNull(),
    result: json(),
    createdAt: createdAt(),
  },
  (t) => [index("client_mutations_user_idx").on(t.userId, t.createdAt)],
);

/**
 * Each store's average monthly consumption per item, as `getStockSummary` computes it from the
 * ledger (stock-out days and all), kept so that figures over a whole scope — 10,000 facilities
 * at once — read it instead of re-reading 90 days of ledger per store on every request. AMC is a
 * rolling average of months, so refreshing it daily loses nothing a decision rests on; stock on
 * hand and expiry are always read live from the balances.
 */
export const stockConsumptionRates = mysqlTable(
  "stock_consumption_rates",
  {
    orgUnitId: ref().notNull(),
    itemId: ref().notNull(),
    averageMonthlyConsumption: int({ unsigned: true }).notNull(),
    /** The window the average was taken over, in 30-day months. */
    windowMonths: tinyint({ unsigned: true }).notNull(),
    computedAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgUnitId, t.itemId] })],
);
