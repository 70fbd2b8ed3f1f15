import { type Executor, facilityStockSummaries, orgUnits } from "@rantai/db";
import { and, asc, eq, gt, inArray, like, sql } from "drizzle-orm";
import { subtreePattern } from "../kernel/authorization/scope";
import { wibDate } from "./batch-usability";
import { facilityStockFigures, lastRecordedAtSql, stockStatusRank } from "./scope-figures";

/**
 * `facility_stock_summaries`: each facility's stock figures, written by the writers of what they
 * are computed from, with the very SQL readers would otherwise run over the balances
 * (`facilityStockFigures`). INSERT … SELECT reads the balances, rates and ledger with locking
 * reads (the latest committed rows, not the transaction's snapshot), so a refresh running beside
 * a ledger transaction waits for it and then counts its movements: the last writer of a row
 * always saw the latest stock.
 */

/** `validUntil` of a facility whose figures no date changes (no lot in stock, or only expired ones). */
const NEVER = "9999-12-31";

/** Facilities refreshed per statement in a scope-wide refresh, so no statement locks a whole country's balances. */
const REFRESH_BATCH = 500;

/** Rewrites the summary rows of these stores as of `now`'s WIB day (facilities only: the figures are theirs). */
export async function refreshFacilityStockSummaries(
  db: Executor,
  storeIds: readonly number[],
  now = new Date(),
): Promise<void> {
  const ids = [...new Set(storeIds)];
  if (ids.length === 0) return;
  const today = wibDate(now);
  const stock = facilityStockFigures(db, "/", now, { facilityIds: ids, includeInactive: true });
  const zero = (value: unknown, alias: string) => sql<number>`COALESCE(${value}, 0)`.as(alias);
  // Every column of the table, in its order: INSERT … SELECT matches them by position.
  const rows = db
    .select({
      orgUnitId: orgUnits.id,
      asOfDate: sql<string>`${today}`.as("as_of_date"),
      validUntil: sql<string>`COALESCE(${stock.validUntil}, ${NEVER})`.as("valid_until"),
      vaccines: zero(stock.vaccines, "vaccines"),
      stockOutItems: zero(stock.stockOutItems, "stock_out_items"),
      belowMinItems: zero(stock.belowMinItems, "below_min_items"),
      aboveMaxItems: zero(stock.aboveMaxItems, "above_max_items"),
      expiring30Doses: zero(stock.expiring30Doses, "expiring30_doses"),
      expiring60Doses: zero(stock.expiring60Doses, "expiring60_doses"),
      expiring90Doses: zero(stock.expiring90Doses, "expiring90_doses"),
      worstStatusRank: sql<number>`COALESCE(${stock.worstStatusRank}, ${stockStatusRank.none})`.as("worst_status_rank"),
      ratesComputedAt: sql<Date | null>`${stock.ratesComputedAt}`.as("rates_computed_at"),
      lastRecordedAt: lastRecordedAtSql(orgUnits.id).as("last_recorded_at"),
      refreshedAt: sql<Date>`CURRENT_TIMESTAMP(3)`.as("refreshed_at"),
    })
    .from(orgUnits)
    .leftJoin(stock, eq(stock.facilityId, orgUnits.id))
    // Inactive ones too: reactivating a facility writes no stock, and its row must hold then.
    .where(and(inArray(orgUnits.id, ids), eq(orgUnits.level, "facility")));
  const update = (column: keyof typeof facilityStockSummaries.$inferInsert) =>
    sql`VALUES(${facilityStockSummaries[column]})`;
  await db
    .insert(facilityStockSummaries)
    .select(rows)
    .onDuplicateKeyUpdate({
      set: {
        asOfDate: update("asOfDate"),
        validUntil: update("validUntil"),
        vaccines: update("vaccines"),
        stockOutItems: update("stockOutItems"),
        belowMinItems: update("belowMinItems"),
        aboveMaxItems: update("aboveMaxItems"),
        expiring30Doses: update("expiring30Doses"),
        expiring60Doses: update("expiring60Doses"),
        expiring90Doses: update("expiring90Doses"),
        worstStatusRank: update("worstStatusRank"),
        ratesComputedAt: update("ratesComputedAt"),
        lastRecordedAt: update("lastRecordedAt"),
        refreshedAt: sql`CURRENT_TIMESTAMP(3)`,
      },
    });
}

/**
 * Rewrites the summary of every active facility under a scope path, a batch at a time in id
 * order: after the consumption rates were refreshed, after loading data, or to bring rows
 * outdated by the date back into use (readers compute those from the balances meanwhile).
 */
export async function refreshFacilityStockSummariesUnder(db: Executor, scopePath: string, now = new Date()) {
  let cursor = 0;
  let facilities = 0;
  for (;;) {
    const batch = await db
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(
        and(
          like(orgUnits.path, subtreePattern(scopePath)),
          eq(orgUnits.level, "facility"),
          eq(orgUnits.active, true),
          gt(orgUnits.id, cursor),
        ),
      )
      .orderBy(asc(orgUnits.id))
      .limit(REFRESH_BATCH);
    await refreshFacilityStockSummaries(
      db,
      batch.map((row) => row.id),
      now,
    );
    facilities += batch.length;
    const last = batch.at(-1);
    if (!last || batch.length < REFRESH_BATCH) return { facilities };
    cursor = last.id;
  }
}
