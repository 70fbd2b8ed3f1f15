import {
  type Executor,
  items,
  type OrgUnit,
  type OrgUnitLevel,
  orgUnitLevels,
  orgUnits,
  stockLevels,
} from "@rantai/db";
import { and, asc, count, eq, like, max, min, sql } from "drizzle-orm";
import { z } from "zod";
import { subtreePattern } from "../kernel/authorization/scope";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";
import { ZIdSchema } from "../kernel/schemas";
import { refreshFacilityStockSummariesUnder } from "./facility-stock-summaries";
import { defaultStockLevels } from "./levels";

/**
 * Min/max months of stock per level (province store, district store, puskesmas) over a scope:
 * what an officer sees and sets for all the stores of a level under their unit at once. The
 * levels live per store × item in `stock_levels` (what the stock summary and the scope figures
 * read); a store without a row for an item uses its level's default.
 */

/** Months are stored as DECIMAL(4,2); two years is far above any norm and keeps typos out. */
const ZMonthsSchema = z.number().min(0).max(24).multipleOf(0.01);

export const ZListStockLevelSettingsSchema = z.strictObject({
  /** The scope: the actor's own unit when absent. */
  orgUnitId: ZIdSchema.optional(),
});

export const ZSetStockLevelSchema = z
  .strictObject({
    orgUnitId: ZIdSchema.optional(),
    level: z.enum(orgUnitLevels),
    itemId: ZIdSchema,
    minMonths: ZMonthsSchema,
    maxMonths: ZMonthsSchema,
  })
  .refine((input) => input.maxMonths > 0 && input.maxMonths >= input.minMonths, {
    error: "the maximum must be above zero and not below the minimum",
    path: ["maxMonths"],
  });
export type TSetStockLevel = z.infer<typeof ZSetStockLevelSchema>;

const depthOf: Record<OrgUnitLevel, number> = { national: 0, province: 1, district: 2, facility: 3 };

/** The levels whose stores a unit's scope holds: its own and every level below it. */
export function levelsUnder(unit: Pick<OrgUnit, "level">): OrgUnitLevel[] {
  return orgUnitLevels.filter((level) => depthOf[level] >= depthOf[unit.level]);
}

interface MonthsRange {
  low: number;
  high: number;
}

/** Widens a range so that it holds `value`. */
function including(range: MonthsRange | undefined, value: number): MonthsRange {
  return range ? { low: Math.min(range.low, value), high: Math.max(range.high, value) } : { low: value, high: value };
}

/**
 * Per level in scope and per vaccine: the min and max months the level's stores use. When the
 * stores of a level differ (one tuned by hand), the range from lowest to highest is given, the
 * default included when some store has no row of its own.
 */
export async function findStockLevelSettings(db: Executor, scope: OrgUnit) {
  const inScope = and(like(orgUnits.path, subtreePattern(scope.path)), eq(orgUnits.active, true));
  const [storeCounts, rows, vaccines] = await Promise.all([
    db.select({ level: orgUnits.level, stores: count() }).from(orgUnits).where(inScope).groupBy(orgUnits.level),
    db
      .select({
        level: orgUnits.level,
        itemId: stockLevels.itemId,
        stores: count(),
        minLow: min(stockLevels.minMonths),
        minHigh: max(stockLevels.minMonths),
        maxLow: min(stockLevels.maxMonths),
        maxHigh: max(stockLevels.maxMonths),
      })
      .from(stockLevels)
      .innerJoin(orgUnits, eq(orgUnits.id, stockLevels.orgUnitId))
      .where(inScope)
      .groupBy(orgUnits.level, stockLevels.itemId),
    db
      .select({ id: items.id, code: items.code, name: items.name })
      .from(items)
      .where(and(eq(items.kind, "vaccine"), eq(items.active, true)))
      .orderBy(asc(items.code)),
  ]);
  const storesOf = new Map(storeCounts.map((row) => [row.level, row.stores]));
  const rowOf = new Map(rows.map((row) => [`${row.level}|${row.itemId}`, row]));
  const levels = levelsUnder(scope)
    .filter((level) => (storesOf.get(level) ?? 0) > 0)
    .map((level) => {
      const stores = storesOf.get(level) ?? 0;
      const fallback = defaultStockLevels[level];
      return {
        level,
        stores,
        defaultLevel: fallback,
        items: vaccines.map((item) => {
          const row = rowOf.get(`${level}|${item.id}`);
          let minMonths: MonthsRange | undefined;
          let maxMonths: MonthsRange | undefined;
          if (row && row.minLow !== null && row.minHigh !== null && row.maxLow !== null && row.maxHigh !== null) {
            minMonths = { low: Number(row.minLow), high: Number(row.minHigh) };
            maxMonths = { low: Number(row.maxLow), high: Number(row.maxHigh) };
          }
          if (!row || row.stores < stores) {
            minMonths = including(minMonths, fallback.minMonths);
            maxMonths = including(maxMonths, fallback.maxMonths);
          }
          return {
            itemId: item.id,
            itemCode: item.code,
            itemName: item.name,
            minMonths: minMonths ?? { low: fallback.minMonths, high: fallback.minMonths },
            maxMonths: maxMonths ?? { low: fallback.maxMonths, high: fallback.maxMonths },
          };
        }),
      };
    });
  return { orgUnitId: scope.id, levels };
}

/**
 * Sets one vaccine's min/max months for every active store of a level under the scope, in one
 * statement (a country's 10,000 puskesmas at once), audited and published on the change feed.
 * Setting is absolute, so a resent request changes nothing more.
 */
export async function setStockLevel(ctx: DomainContext, scope: OrgUnit, input: TSetStockLevel) {
  const action = "stock.setStockLevel";
  if (!levelsUnder(scope).includes(input.level)) {
    throw new AppError(
      "stock.level_outside_scope",
      `${scope.name} holds no ${input.level} stores; choose a level at or below your own.`,
    );
  }
  const [item] = await ctx.db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.id, input.itemId), eq(items.kind, "vaccine"), eq(items.active, true)))
    .limit(1);
  if (!item)
    throw new AppError("stock.item_unknown", "Min/max levels are set per active vaccine; this item is not one.");
  return ctx.db.transaction(async (tx) => {
    const minMonths = input.minMonths.toFixed(2);
    const maxMonths = input.maxMonths.toFixed(2);
    const storesOfLevel = and(
      like(orgUnits.path, subtreePattern(scope.path)),
      eq(orgUnits.level, input.level),
      eq(orgUnits.active, true),
    );
    const [counted] = await tx.select({ stores: count() }).from(orgUnits).where(storesOfLevel);
    await tx
      .insert(stockLevels)
      .select(
        tx
          .select({
            orgUnitId: orgUnits.id,
            itemId: sql<number>`${item.id}`.as("item_id"),
            minMonths: sql<number>`${minMonths}`.as("min_months"),
            maxMonths: sql<number>`${maxMonths}`.as("max_months"),
            updatedAt: sql<Date>`CURRENT_TIMESTAMP(3)`.as("updated_at"),
          })
          .from(orgUnits)
          .where(storesOfLevel),
      )
      .onDuplicateKeyUpdate({
        set: {
          minMonths: sql`VALUES(${stockLevels.minMonths})`,
          maxMonths: sql`VALUES(${stockLevels.maxMonths})`,
        },
      });
    // The overview and facility table read the puskesmas' figures from their summary rows, which
    // count items below minimum and above maximum: they change with the levels, in this transaction.
    if (input.level === "facility") await refreshFacilityStockSummariesUnder(tx, scope.path);
    const change = { level: input.level, itemId: item.id, minMonths: input.minMonths, maxMonths: input.maxMonths };
    await recordChange(tx, ctx, {
      action,
      entityType: "stock_level",
      entityId: `${scope.id}:${input.level}:${item.id}`,
      orgUnitId: scope.id,
      operation: "update",
      payload: { ...change, stores: counted?.stores ?? 0 },
    });
    return { ...change, orgUnitId: scope.id, stores: counted?.stores ?? 0 };
  });
}
