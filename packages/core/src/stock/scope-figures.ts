import {
  batches,
  type Executor,
  facilityStockSummaries,
  items,
  orgUnits,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
  stockLevels,
} from "@rantai/db";
import { type AnyColumn, and, eq, inArray, like, type SQL, sql } from "drizzle-orm";
import { subtreePattern } from "../kernel/authorization/scope";
import { firstUnusableVvmStage, wibDate } from "./batch-usability";
import type { StockStatus } from "./indicators";
import { defaultStockLevels } from "./levels";

/**
 * Stock figures of every facility under a scope, computed in SQL over the whole scope (a country
 * holds 10,000 puskesmas), never a page at a time. They are the stock summary's figures
 * (summary.ts) in SQL: usable stock is stock that has not expired (WIB calendar day) and whose
 * VVM is before the discard point; the status is `stockStatus` (indicators.ts) against the
 * store's min/max or the facility default; the average monthly consumption is the one the
 * summary computed, kept in `stock_consumption_rates` (consumption-rates.ts).
 * Only vaccines count: the console's stock status is per antigen.
 */

/** The expiry windows the overview counts, in days (cumulative: within 60 includes within 30). */
export const expiryWindowsDays = [30, 60, 90] as const;

/** Worst first: the rank a facility's stock status sorts by (a facility with no vaccine ranks last). */
export const stockStatusRank: Record<StockStatus | "none", number> = {
  stock_out: 0,
  below_min: 1,
  above_max: 2,
  unknown: 3,
  normal: 4,
  none: 5,
};

const DAY_MS = 86_400_000;

/** The calendar date `days` after a YYYY-MM-DD date. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `stockStatus` (indicators.ts) as SQL; months of stock compared by multiplying, so no rounding enters. */
export function stockStatusSql(usable: SQL, amc: SQL, minMonths: SQL, maxMonths: SQL): SQL<StockStatus> {
  return sql<StockStatus>`CASE
    WHEN ${usable} <= 0 THEN 'stock_out'
    WHEN ${amc} <= 0 THEN 'unknown'
    WHEN ${minMonths} > 0 AND ${usable} <= ${minMonths} * ${amc} THEN 'below_min'
    WHEN ${usable} > ${maxMonths} * ${amc} THEN 'above_max'
    ELSE 'normal' END`;
}

function rankSql(status: SQL): SQL<number> {
  const cases = Object.entries(stockStatusRank).map(([name, rank]) => sql`WHEN ${name} THEN ${sql.raw(String(rank))}`);
  return sql<number>`CASE ${status} ${sql.join(cases, sql` `)} END`;
}

export interface StockFigureOptions {
  /** Only these facilities (a page of the facility table); all of the scope when absent. */
  facilityIds?: readonly number[];
  /** Only this item. */
  itemId?: number;
  /**
   * Only facilities without a `facility_stock_summaries` row valid on the day of `now`: what a
   * reader of the summaries still has to compute from the balances.
   */
  withoutValidSummary?: boolean;
  /** Inactive facilities too (their summary rows are kept, for when they are active again). */
  includeInactive?: boolean;
}

/** A summary row that holds on `today` (a WIB date): computed on or before it, not yet outdated by expiry. */
export function summaryValidOn(today: string): SQL {
  return sql`${facilityStockSummaries.asOfDate} <= ${today} AND ${facilityStockSummaries.validUntil} > ${today}`;
}

/**
 * The first WIB day after `today` on which a lot's contribution to the figures changes by date
 * alone: it enters the 90-, 60- or 30-day expiry window, or expires (the day after its expiry
 * date). Null for a lot already expired: it no longer changes.
 */
function nextChangeOfLotSql(today: string): SQL<string | null> {
  const expiry = sql`${batches.expiryDate}`;
  const boundaries = [...[...expiryWindowsDays].reverse().map((days) => -days), 1].map(
    (days) => sql`DATE_ADD(${expiry}, INTERVAL ${sql.raw(String(days))} DAY)`,
  );
  const cases = boundaries.map((boundary) => sql`WHEN ${boundary} > ${today} THEN ${boundary}`);
  return sql<string | null>`CASE ${sql.join(cases, sql` `)} END`;
}

/** A store × item's usable stock over its lots (grouped): not expired on `today` (WIB), VVM before the discard point. */
function usableStockSql(today: string): SQL<number> {
  return sql<number>`SUM(CASE WHEN ${batches.expiryDate} >= ${today}
    AND ${stockBalances.vvmStage} < ${firstUnusableVvmStage} THEN ${stockBalances.quantity} ELSE 0 END)`;
}

/** A store × item's AMC (grouped): one rate row at most per store and item, MAX only carries it through. */
function averageMonthlyConsumptionSql(): SQL {
  return sql`COALESCE(MAX(${stockConsumptionRates.averageMonthlyConsumption}), 0)`;
}

/** Months of stock in ten-thousandths (an integer, so sorting and paging compare exactly); null without consumption. */
function monthsOfStockE4Sql(usable: SQL, amc: SQL): SQL<number | null> {
  return sql<number | null>`CASE WHEN ${amc} > 0 THEN FLOOR(${usable} * 10000 / ${amc}) END`;
}

/**
 * One row per facility × vaccine it holds or held (a lot at zero is a stock-out, not absent):
 * stock on hand, usable stock, doses expiring within 30/60/90 days, AMC, min/max, the status.
 * A subquery, for `facilityStockFigures` and the facility table to read from.
 */
export function facilityItemStockFigures(db: Executor, scopePath: string, now: Date, options: StockFigureOptions = {}) {
  const today = wibDate(now);
  const expiringWithin = (days: number) =>
    sql<number>`SUM(CASE WHEN ${batches.expiryDate} >= ${today} AND ${batches.expiryDate} <= ${addDays(today, days)}
      THEN ${stockBalances.quantity} ELSE 0 END)`;
  const usable = usableStockSql(today);
  const amc = averageMonthlyConsumptionSql();
  const minMonths = sql`COALESCE(MAX(${stockLevels.minMonths}), ${defaultStockLevels.facility.minMonths})`;
  const maxMonths = sql`COALESCE(MAX(${stockLevels.maxMonths}), ${defaultStockLevels.facility.maxMonths})`;
  const status = stockStatusSql(usable, amc, minMonths, maxMonths);
  return db
    .select({
      facilityId: sql<number>`${stockBalances.orgUnitId}`.as("item_facility_id"),
      itemId: sql<number>`${stockBalances.itemId}`.as("item_id"),
      stockOnHand: sql<number>`SUM(${stockBalances.quantity})`.as("item_stock_on_hand"),
      usableStock: usable.as("item_usable_stock"),
      expiring30Doses: expiringWithin(30).as("item_expiring_30_doses"),
      expiring60Doses: expiringWithin(60).as("item_expiring_60_doses"),
      expiring90Doses: expiringWithin(90).as("item_expiring_90_doses"),
      averageMonthlyConsumption: sql<number>`${amc}`.as("item_average_monthly_consumption"),
      /** Months of stock in ten-thousandths (an integer, so sorting and paging compare exactly); null without consumption. */
      monthsOfStockE4: monthsOfStockE4Sql(usable, amc).as("item_months_of_stock_e4"),
      minMonths: sql<number>`${minMonths}`.as("item_min_months"),
      maxMonths: sql<number>`${maxMonths}`.as("item_max_months"),
      status: status.as("item_status"),
      statusRank: rankSql(status).as("item_status_rank"),
      ratesComputedAt: sql<Date | null>`MAX(${stockConsumptionRates.computedAt})`.as("item_rates_computed_at"),
      /** The next day its figures change by date alone (see `nextChangeOfLotSql`); lots at zero count for nothing. */
      validUntil: sql<
        string | null
      >`MIN(CASE WHEN ${stockBalances.quantity} > 0 THEN ${nextChangeOfLotSql(today)} END)`.as("item_valid_until"),
    })
    .from(stockBalances)
    .innerJoin(orgUnits, eq(orgUnits.id, stockBalances.orgUnitId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .leftJoin(
      stockConsumptionRates,
      and(
        eq(stockConsumptionRates.orgUnitId, stockBalances.orgUnitId),
        eq(stockConsumptionRates.itemId, stockBalances.itemId),
      ),
    )
    .leftJoin(
      stockLevels,
      and(eq(stockLevels.orgUnitId, stockBalances.orgUnitId), eq(stockLevels.itemId, stockBalances.itemId)),
    )
    .where(
      and(
        like(orgUnits.path, subtreePattern(scopePath)),
        eq(orgUnits.level, "facility"),
        options.includeInactive ? undefined : eq(orgUnits.active, true),
        eq(items.kind, "vaccine"),
        options.facilityIds ? inArray(stockBalances.orgUnitId, [...options.facilityIds]) : undefined,
        options.itemId === undefined ? undefined : eq(stockBalances.itemId, options.itemId),
        // Evaluated per facility (it names only org_units), before any of its balances is read.
        options.withoutValidSummary
          ? sql`NOT EXISTS (SELECT 1 FROM ${facilityStockSummaries} WHERE ${facilityStockSummaries.orgUnitId} = ${orgUnits.id}
              AND ${summaryValidOn(today)})`
          : undefined,
      ),
    )
    .groupBy(stockBalances.orgUnitId, stockBalances.itemId)
    .as("facility_items");
}

/**
 * One row per facility with vaccine stock: how many of its vaccines are out of stock, below
 * minimum, above maximum; doses expiring within 30/60/90 days; its worst status's rank.
 */
export function facilityStockFigures(db: Executor, scopePath: string, now: Date, options: StockFigureOptions = {}) {
  const perItem = facilityItemStockFigures(db, scopePath, now, options);
  const countOf = (status: StockStatus) => sql<number>`SUM(${perItem.status} = ${status})`;
  return db
    .select({
      facilityId: sql<number>`${perItem.facilityId}`.as("stock_facility_id"),
      vaccines: sql<number>`COUNT(*)`.as("vaccines"),
      stockOutItems: countOf("stock_out").as("stock_out_items"),
      belowMinItems: countOf("below_min").as("below_min_items"),
      aboveMaxItems: countOf("above_max").as("above_max_items"),
      expiring30Doses: sql<number>`SUM(${perItem.expiring30Doses})`.as("expiring_30_doses"),
      expiring60Doses: sql<number>`SUM(${perItem.expiring60Doses})`.as("expiring_60_doses"),
      expiring90Doses: sql<number>`SUM(${perItem.expiring90Doses})`.as("expiring_90_doses"),
      worstStatusRank: sql<number>`MIN(${perItem.statusRank})`.as("worst_status_rank"),
      ratesComputedAt: sql<Date | null>`MIN(${perItem.ratesComputedAt})`.as("rates_computed_at"),
      validUntil: sql<string | null>`MIN(${perItem.validUntil})`.as("valid_until"),
    })
    .from(perItem)
    .groupBy(perItem.facilityId)
    .as("facility_stock");
}

/**
 * One row per facility of the scope holding one vaccine: its months of stock alone, as
 * `facilityItemStockFigures` computes it, for the facility table to sort every facility by without
 * the other figures (nor the min/max levels) of every facility.
 */
export function facilityItemMonthsOfStock(db: Executor, scopePath: string, now: Date, itemId: number) {
  const today = wibDate(now);
  return db
    .select({
      facilityId: sql<number>`${stockBalances.orgUnitId}`.as("item_facility_id"),
      monthsOfStockE4: monthsOfStockE4Sql(usableStockSql(today), averageMonthlyConsumptionSql()).as(
        "item_months_of_stock_e4",
      ),
    })
    .from(stockBalances)
    .innerJoin(orgUnits, eq(orgUnits.id, stockBalances.orgUnitId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .leftJoin(
      stockConsumptionRates,
      and(
        eq(stockConsumptionRates.orgUnitId, stockBalances.orgUnitId),
        eq(stockConsumptionRates.itemId, stockBalances.itemId),
      ),
    )
    .where(
      and(
        like(orgUnits.path, subtreePattern(scopePath)),
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        eq(items.kind, "vaccine"),
        eq(stockBalances.itemId, itemId),
      ),
    )
    .groupBy(stockBalances.orgUnitId)
    .as("facility_item_months");
}

/**
 * A facility's last sync: when the server last recorded a stock entry for it (what its phone
 * sends when it syncs). One dive into `stock_ledger_store_recorded_idx` per facility: MAX() in a
 * correlated subquery would read every entry of the store, ORDER BY … LIMIT 1 reads one.
 */
export function lastRecordedAtSql(facilityId: AnyColumn | SQL): SQL<Date | null> {
  return sql<Date | null>`(SELECT ${stockLedger.recordedAt} FROM ${stockLedger}
    WHERE ${stockLedger.orgUnitId} = ${facilityId} ORDER BY ${stockLedger.recordedAt} DESC LIMIT 1)`;
}
