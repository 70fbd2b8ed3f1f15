import { type Executor, type OrgUnitLevel, stockLevels } from "@rantai/db";
import { eq } from "drizzle-orm";
import type { StockLevel } from "./indicators";

/**
 * Min/max months of stock when a store has no level of its own for an item. Configurable
 * defaults (the seed's demo levels); Indonesia's norms are to be confirmed with the product owner.
 */
export const defaultStockLevels: Record<OrgUnitLevel, StockLevel> = {
  national: { minMonths: 3, maxMonths: 6 },
  province: { minMonths: 2, maxMonths: 4 },
  district: { minMonths: 1, maxMonths: 3 },
  facility: { minMonths: 1, maxMonths: 2 },
};

/** The store's own min/max per item; items without a row fall back to the level's default. */
export async function findStockLevels(db: Executor, store: { id: number; level: OrgUnitLevel }) {
  const rows = await db
    .select({ itemId: stockLevels.itemId, minMonths: stockLevels.minMonths, maxMonths: stockLevels.maxMonths })
    .from(stockLevels)
    .where(eq(stockLevels.orgUnitId, store.id));
  const levels = new Map(rows.map(({ itemId, ...level }) => [itemId, level]));
  return (itemId: number): StockLevel => levels.get(itemId) ?? defaultStockLevels[store.level];
}
