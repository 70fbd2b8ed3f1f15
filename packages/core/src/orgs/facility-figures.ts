import { type Executor, facilityColdChainSummaries, facilityStockSummaries, orgUnits } from "@rantai/db";
import { and, eq, inArray, like, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import {
  coldChainSummaryValidAt,
  facilityAlarmThreats,
  facilityFridgeAlarms,
  facilityFridgeStates,
} from "../coldchain/scope-figures";
import { subtreePattern } from "../kernel/authorization/scope";
import { wibDate } from "../stock/batch-usability";
import { facilityStockFigures, lastRecordedAtSql, stockStatusRank, summaryValidOn } from "../stock/scope-figures";

/**
 * Every facility under a scope with its stock and cold-chain figures, one row each, in SQL: what
 * the overview counts and the facility table lists, so a figure and the list behind it agree.
 */

/** The filters a figure of the overview links to; the facility table lists the facilities behind it. */
export const facilityFilters = [
  "stock_out",
  "below_min",
  "above_max",
  "expiring_30_days",
  "expiring_60_days",
  "expiring_90_days",
  "fridge_in_alarm",
  "fridge_offline",
  "fridge_silent",
  "stock_at_risk",
] as const;
export type FacilityFilter = (typeof facilityFilters)[number];

export interface ScopeUnit {
  id: number;
  path: string;
  depth: number;
}

/**
 * The id of the unit one level under the scope on a facility's path (the district of a province
 * scope, the province of the national one), or the facility itself when it is the scope: the
 * key the overview groups its children's figures by. Paths are "/1/2/9/", one id per depth.
 */
export function childKeySql(scope: Pick<ScopeUnit, "depth">): SQL<number> {
  const ids = sql.raw(String(scope.depth + 1));
  return sql<number>`CAST(SUBSTRING_INDEX(SUBSTRING_INDEX(${orgUnits.path}, '/',
    LEAST(${orgUnits.depth}, ${ids}) + 2), '/', -1) AS UNSIGNED)`;
}

export function facilityFigures(
  db: Executor,
  scope: ScopeUnit,
  now: Date,
  /** Only these facilities of the scope (a page of the table); every one when absent. */
  options: { facilityIds?: readonly number[] } = {},
) {
  const { facilityIds } = options;
  // Stock figures from each facility's summary row when one holds today, else from its balances
  // (`withoutValidSummary` computes only those): the same numbers either way, see
  // stock/facility-stock-summaries.ts.
  const stock = facilityStockFigures(db, scope.path, now, { withoutValidSummary: true, facilityIds });
  // Its own column names: the computed figures' derived table has the same ones.
  const stored = facilityStockSummaries;
  const summary = db
    .select({
      orgUnitId: sql<number>`${stored.orgUnitId}`.as("summary_org_unit_id"),
      vaccines: sql<number>`${stored.vaccines}`.as("summary_vaccines"),
      stockOutItems: sql<number>`${stored.stockOutItems}`.as("summary_stock_out_items"),
      belowMinItems: sql<number>`${stored.belowMinItems}`.as("summary_below_min_items"),
      aboveMaxItems: sql<number>`${stored.aboveMaxItems}`.as("summary_above_max_items"),
      expiring30Doses: sql<number>`${stored.expiring30Doses}`.as("summary_expiring_30_doses"),
      expiring60Doses: sql<number>`${stored.expiring60Doses}`.as("summary_expiring_60_doses"),
      expiring90Doses: sql<number>`${stored.expiring90Doses}`.as("summary_expiring_90_doses"),
      worstStatusRank: sql<number>`${stored.worstStatusRank}`.as("summary_worst_status_rank"),
      ratesComputedAt: sql<Date | null>`${stored.ratesComputedAt}`.as("summary_rates_computed_at"),
      lastRecordedAt: sql<Date | null>`${stored.lastRecordedAt}`.as("summary_last_recorded_at"),
    })
    .from(stored)
    .where(summaryValidOn(wibDate(now)))
    .as("facility_summary");
  const fromStock = (summarized: unknown, computed: unknown, otherwise: unknown = 0) =>
    sql`CASE WHEN ${summary.orgUnitId} IS NOT NULL THEN ${summarized} ELSE COALESCE(${computed}, ${otherwise}) END`;
  // Fridges likewise: from the cold-chain summary row while it holds, else counted live (only
  // those facilities); fridges in alarm always live, from the few live alarms.
  const storedFridges = db
    .select({
      orgUnitId: sql<number>`${facilityColdChainSummaries.orgUnitId}`.as("cold_chain_org_unit_id"),
      fridges: sql<number>`${facilityColdChainSummaries.fridges}`.as("summary_fridges"),
      fridgesOffline: sql<number>`${facilityColdChainSummaries.fridgesOffline}`.as("summary_fridges_offline"),
      fridgesSilent: sql<number>`${facilityColdChainSummaries.fridgesSilent}`.as("summary_fridges_silent"),
    })
    .from(facilityColdChainSummaries)
    .where(coldChainSummaryValidAt(now))
    .as("facility_cold_chain_summary");
  const liveFridges = facilityFridgeStates(db, scope.path, now, { withoutValidSummary: true, facilityIds });
  const fromFridges = (summarized: unknown, computed: unknown) =>
    sql<number>`CASE WHEN ${storedFridges.orgUnitId} IS NOT NULL THEN ${summarized} ELSE COALESCE(${computed}, 0) END`;
  const fridges = {
    fridges: fromFridges(storedFridges.fridges, liveFridges.fridges),
    fridgesOffline: fromFridges(storedFridges.fridgesOffline, liveFridges.fridgesOffline),
    fridgesSilent: fromFridges(storedFridges.fridgesSilent, liveFridges.fridgesSilent),
  };
  const fridgeAlarms = facilityFridgeAlarms(db, scope.path);
  const fridgesInAlarm = sql<number>`COALESCE(${fridgeAlarms.fridgesInAlarm}, 0)`;
  const threats = facilityAlarmThreats(db, scope.path);
  const parent = alias(orgUnits, "parent_unit");
  const zero = (value: unknown) => sql<number>`COALESCE(${value}, 0)`;
  return db
    .select({
      facilityId: sql<number>`${orgUnits.id}`.as("facility_id"),
      code: sql<string>`${orgUnits.code}`.as("code"),
      name: sql<string>`${orgUnits.name}`.as("name"),
      parentId: sql<number | null>`${orgUnits.parentId}`.as("parent_id"),
      parentName: sql<string | null>`${parent.name}`.as("parent_name"),
      childKey: childKeySql(scope).as("child_key"),
      vaccines: sql<number>`${fromStock(summary.vaccines, stock.vaccines)}`.as("vaccines"),
      stockOutItems: sql<number>`${fromStock(summary.stockOutItems, stock.stockOutItems)}`.as("stock_out_items"),
      belowMinItems: sql<number>`${fromStock(summary.belowMinItems, stock.belowMinItems)}`.as("below_min_items"),
      aboveMaxItems: sql<number>`${fromStock(summary.aboveMaxItems, stock.aboveMaxItems)}`.as("above_max_items"),
      expiring30Doses: sql<number>`${fromStock(summary.expiring30Doses, stock.expiring30Doses)}`.as(
        "expiring_30_doses",
      ),
      expiring60Doses: sql<number>`${fromStock(summary.expiring60Doses, stock.expiring60Doses)}`.as(
        "expiring_60_doses",
      ),
      expiring90Doses: sql<number>`${fromStock(summary.expiring90Doses, stock.expiring90Doses)}`.as(
        "expiring_90_doses",
      ),
      stockStatusRank:
        sql<number>`${fromStock(summary.worstStatusRank, stock.worstStatusRank, stockStatusRank.none)}`.as(
          "stock_status_rank",
        ),
      ratesComputedAt: sql<Date | null>`${fromStock(summary.ratesComputedAt, stock.ratesComputedAt, null)}`.as(
        "rates_computed_at",
      ),
      fridges: fridges.fridges.as("fridges"),
      fridgesInAlarm: fridgesInAlarm.as("fridges_in_alarm"),
      fridgesOffline: fridges.fridgesOffline.as("fridges_offline"),
      fridgesSilent: fridges.fridgesSilent.as("fridges_silent"),
      coldChainStatusRank: sql<number>`CASE
        WHEN ${fridgesInAlarm} > 0 THEN 0
        WHEN ${fridges.fridgesOffline} > 0 THEN 1
        WHEN ${fridges.fridgesSilent} > 0 THEN 2
        WHEN ${fridges.fridges} > 0 THEN 3
        ELSE 4 END`.as("cold_chain_status_rank"),
      threateningAlarms: zero(threats.threateningAlarms).as("threatening_alarms"),
      lastSyncAt: sql<Date | null>`${fromStock(summary.lastRecordedAt, lastRecordedAtSql(orgUnits.id), null)}`.as(
        "last_sync_at",
      ),
    })
    .from(orgUnits)
    .leftJoin(parent, eq(parent.id, orgUnits.parentId))
    .leftJoin(summary, eq(summary.orgUnitId, orgUnits.id))
    .leftJoin(stock, eq(stock.facilityId, orgUnits.id))
    .leftJoin(storedFridges, eq(storedFridges.orgUnitId, orgUnits.id))
    .leftJoin(liveFridges, eq(liveFridges.facilityId, orgUnits.id))
    .leftJoin(fridgeAlarms, eq(fridgeAlarms.facilityId, orgUnits.id))
    .leftJoin(threats, eq(threats.facilityId, orgUnits.id))
    .where(
      and(
        like(orgUnits.path, subtreePattern(scope.path)),
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        facilityIds ? inArray(orgUnits.id, [...facilityIds]) : undefined,
      ),
    )
    .as("facility_figures");
}
export type FacilityFigures = ReturnType<typeof facilityFigures>;

/** The condition a filter puts on a facility's figures. */
export function facilityFilterSql(figures: FacilityFigures, filter: FacilityFilter): SQL {
  switch (filter) {
    case "stock_out":
      return sql`${figures.stockOutItems} > 0`;
    case "below_min":
      return sql`${figures.belowMinItems} > 0`;
    case "above_max":
      return sql`${figures.aboveMaxItems} > 0`;
    case "expiring_30_days":
      return sql`${figures.expiring30Doses} > 0`;
    case "expiring_60_days":
      return sql`${figures.expiring60Doses} > 0`;
    case "expiring_90_days":
      return sql`${figures.expiring90Doses} > 0`;
    case "fridge_in_alarm":
      return sql`${figures.fridgesInAlarm} > 0`;
    case "fridge_offline":
      return sql`${figures.fridgesOffline} > 0`;
    case "fridge_silent":
      return sql`${figures.fridgesSilent} > 0`;
    case "stock_at_risk":
      return sql`${figures.threateningAlarms} > 0`;
  }
}
