import { type Executor, type MovementType, stockLedger } from "@rantai/db";
import { and, eq, gte, min, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";

/** Ledger sums of one item at one store over a window, by movement type and reason. */
export interface MovementTotal {
  itemId: number;
  /** The type of the movement; for a reversal, the type of the entry it cancels. */
  movementType: MovementType;
  /** For a reversal, the reason of the entry it cancels. */
  reason: string | null;
  doses: number;
  dosesAdministered: number;
}

/** A reversal counts under the type and reason of the entry it cancels (with the opposite sign). */
export function reversalAwareColumns() {
  const original = alias(stockLedger, "original");
  const movementType = sql<MovementType>`COALESCE(${original.movementType}, ${stockLedger.movementType})`;
  const reason = sql<
    string | null
  >`CASE WHEN ${original.id} IS NULL THEN ${stockLedger.reason} ELSE ${original.reason} END`;
  const doses = sql<number>`SUM(${stockLedger.quantity})`.mapWith(Number);
  const dosesAdministered = sql<number>`COALESCE(SUM(${stockLedger.dosesAdministered}), 0)`.mapWith(Number);
  return { original, movementType, reason, doses, dosesAdministered };
}

/**
 * Totals per item × movement type × reason since `from`. A reversal is counted under the type
 * and reason of the entry it cancels (with the opposite sign), so a reversed usage no longer
 * counts as consumption or as doses given.
 */
export async function findMovementTotals(db: Executor, orgUnitId: number, from: Date): Promise<MovementTotal[]> {
  const { original, movementType, reason, doses, dosesAdministered } = reversalAwareColumns();
  return db
    .select({ itemId: stockLedger.itemId, movementType, reason, doses, dosesAdministered })
    .from(stockLedger)
    .leftJoin(original, eq(original.id, stockLedger.reversesEntryId))
    .where(and(eq(stockLedger.orgUnitId, orgUnitId), gte(stockLedger.occurredAt, from)))
    .groupBy(stockLedger.itemId, movementType, reason);
}

/**
 * The same totals per calendar month ("2026-11") since `from`, months taken on a clock
 * `utcOffsetHours` ahead of UTC (Indonesia's zones keep no daylight saving).
 */
export async function findMonthlyMovementTotals(
  db: Executor,
  orgUnitId: number,
  from: Date,
  utcOffsetHours: number,
): Promise<(MovementTotal & { month: string })[]> {
  const { original, movementType, reason, doses, dosesAdministered } = reversalAwareColumns();
  const month = sql<string>`DATE_FORMAT(DATE_ADD(${stockLedger.occurredAt}, INTERVAL ${utcOffsetHours} HOUR), '%Y-%m')`;
  return db
    .select({ itemId: stockLedger.itemId, month, movementType, reason, doses, dosesAdministered })
    .from(stockLedger)
    .leftJoin(original, eq(original.id, stockLedger.reversesEntryId))
    .where(and(eq(stockLedger.orgUnitId, orgUnitId), gte(stockLedger.occurredAt, from)))
    .groupBy(stockLedger.itemId, month, movementType, reason);
}

export interface ItemTally {
  /** AMC's consumption: usage + issues − returns received (see indicators.ts). */
  consumedDoses: number;
  /** Doses in vials opened: usage, plus opened vials discarded under the open-vial policy. */
  dosesUsed: number;
  dosesAdministered: number;
  /** Closed-vial wastage: discards for any reason but the open-vial policy. */
  closedVialDosesDiscarded: number;
}

const consumptionTypes: ReadonlySet<MovementType> = new Set(["usage", "transfer_out", "return_in"]);

/** Folds the totals into per-item consumption and wastage figures. */
export function tallyMovements(totals: readonly MovementTotal[]): Map<number, ItemTally> {
  const tallies = new Map<number, ItemTally>();
  for (const total of totals) {
    const tally = tallies.get(total.itemId) ?? {
      consumedDoses: 0,
      dosesUsed: 0,
      dosesAdministered: 0,
      closedVialDosesDiscarded: 0,
    };
    if (consumptionTypes.has(total.movementType)) tally.consumedDoses -= total.doses;
    if (total.movementType === "usage") {
      tally.dosesUsed -= total.doses;
      tally.dosesAdministered += total.dosesAdministered;
    }
    if (total.movementType === "discard") {
      if (total.reason === "open_vial_policy") tally.dosesUsed -= total.doses;
      else tally.closedVialDosesDiscarded -= total.doses;
    }
    tallies.set(total.itemId, tally);
  }
  return tallies;
}

/** Every movement of the store since `from` (for stock-out days), oldest first. */
export async function findMovementsSince(db: Executor, orgUnitId: number, from: Date) {
  return db
    .select({ itemId: stockLedger.itemId, at: stockLedger.occurredAt, quantity: stockLedger.quantity })
    .from(stockLedger)
    .where(and(eq(stockLedger.orgUnitId, orgUnitId), gte(stockLedger.occurredAt, from)))
    .orderBy(stockLedger.occurredAt);
}

/** When the store's history of each item began (its first movement). */
export async function findHistoryStarts(db: Executor, orgUnitId: number): Promise<Map<number, Date>> {
  const rows = await db
    .select({ itemId: stockLedger.itemId, first: min(stockLedger.occurredAt) })
    .from(stockLedger)
    .where(eq(stockLedger.orgUnitId, orgUnitId))
    .groupBy(stockLedger.itemId);
  return new Map(rows.flatMap((row) => (row.first ? [[row.itemId, row.first] as const] : [])));
}
