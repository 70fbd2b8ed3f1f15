import { type Executor, type OrgUnit, orgUnits, stockConsumptionRates } from "@rantai/db";
import { and, asc, eq, gt, like, sql } from "drizzle-orm";
import { subtreePattern } from "../kernel/authorization/scope";
import { refreshFacilityStockSummaries } from "./facility-stock-summaries";
import { getStockSummary } from "./summary";

/** The AMC window the scope figures use: the stock summary's default, three 30-day months. */
export const CONSUMPTION_RATE_WINDOW_MONTHS = 3;

/** Stores refreshed per round trip of the scope-wide refresh. */
const REFRESH_BATCH = 200;

/**
 * Recomputes one store's average monthly consumption per item with the stock summary's own rule
 * (`getStockSummary`: consumption net of reversals, scaled for stock-out days) and stores it in
 * `stock_consumption_rates`, where the scope-wide figures read it.
 */
export async function refreshConsumptionRates(
  db: Executor,
  store: OrgUnit,
  now = new Date(),
  months = CONSUMPTION_RATE_WINDOW_MONTHS,
): Promise<number> {
  const summary = await getStockSummary(db, store, months, now);
  if (summary.items.length === 0) return 0;
  // The rates and the statuses summarized from them change together.
  await db.transaction(async (tx) => {
    await tx
      .insert(stockConsumptionRates)
      .values(
        summary.items.map((item) => ({
          orgUnitId: store.id,
          itemId: item.itemId,
          averageMonthlyConsumption: item.averageMonthlyConsumption,
          windowMonths: months,
          computedAt: now,
        })),
      )
      .onDuplicateKeyUpdate({
        set: {
          averageMonthlyConsumption: sql`VALUES(${stockConsumptionRates.averageMonthlyConsumption})`,
          windowMonths: sql`VALUES(${stockConsumptionRates.windowMonths})`,
          computedAt: sql`VALUES(${stockConsumptionRates.computedAt})`,
        },
      });
    await refreshFacilityStockSummaries(tx, [store.id], now);
  });
  return summary.items.length;
}

/**
 * Refreshes every active store under a scope path (the whole country from the national path), a
 * batch of stores at a time in id order; meant for a daily job and after a seed. Returns the
 * number of stores and of store × item rates written.
 */
export async function refreshConsumptionRatesUnder(db: Executor, scopePath: string, now = new Date()) {
  let cursor = 0;
  let stores = 0;
  let rates = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(orgUnits)
      .where(and(like(orgUnits.path, subtreePattern(scopePath)), eq(orgUnits.active, true), gt(orgUnits.id, cursor)))
      .orderBy(asc(orgUnits.id))
      .limit(REFRESH_BATCH);
    for (const store of batch) rates += await refreshConsumptionRates(db, store, now);
    stores += batch.length;
    const last = batch.at(-1);
    if (!last || batch.length < REFRESH_BATCH) return { stores, rates };
    cursor = last.id;
  }
}
