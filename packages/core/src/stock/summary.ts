import { batches, type Executor, items, type OrgUnit, stockBalances } from "@rantai/db";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { ZIdSchema } from "../kernel/schemas";
import {
  findHistoryStarts,
  findMovementsSince,
  findMovementTotals,
  type ItemTally,
  tallyMovements,
} from "./consumption";
import {
  averageMonthlyConsumption,
  DAYS_PER_MONTH,
  expiringDoses,
  monthsOfStock,
  round,
  type StockLevel,
  stockOutDays,
  stockStatus,
  suggestedOrderDoses,
  usableDoses,
  wastageRates,
} from "./indicators";
import { findStockLevels } from "./levels";

export const ZStockSummarySchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  /** The AMC and wastage window, in 30-day months. */
  months: z.number().int().min(1).max(12).default(3),
});
export type TStockSummary = z.infer<typeof ZStockSummarySchema>;

/** Items shown per store; the national catalogue holds a few dozen. */
const MAX_ITEMS = 100;
const DAY_MS = 86_400_000;

const emptyTally: ItemTally = { consumedDoses: 0, dosesUsed: 0, dosesAdministered: 0, closedVialDosesDiscarded: 0 };

/**
 * A store's stock by item, as the console dashboard and the phone's home screen show it:
 * stock on hand (usable and not), AMC, months of stock and status against the store's min/max,
 * the suggested order, stock-out days, doses expiring soon, and usage/wastage rates. Status,
 * MOS and the suggestion use usable stock only: expired or VVM-unusable doses cover no one.
 */
export async function getStockSummary(db: Executor, store: OrgUnit, months: number, now = new Date()) {
  const windowStart = new Date(now.getTime() - months * DAYS_PER_MONTH * DAY_MS);
  const [lots, levelOf, totals, movements, historyStarts] = await Promise.all([
    findStoreLots(db, store.id),
    findStockLevels(db, store),
    findMovementTotals(db, store.id, windowStart),
    findMovementsSince(db, store.id, windowStart),
    findHistoryStarts(db, store.id),
  ]);
  const tallies = tallyMovements(totals);
  const byItem = new Map<number, StoreLot[]>();
  for (const lot of lots) byItem.set(lot.itemId, [...(byItem.get(lot.itemId) ?? []), lot]);
  const summaries = [...byItem.values()].slice(0, MAX_ITEMS).map((itemLots) =>
    summariseItem(itemLots, {
      now,
      windowStart,
      movements,
      historyStarts,
      tallies,
      level: levelOf(itemLots[0]?.itemId ?? 0),
    }),
  );
  return { orgUnitId: store.id, windowStart, generatedAt: now, items: summaries };
}

type StoreLot = Awaited<ReturnType<typeof findStoreLots>>[number];

interface ItemFigures {
  now: Date;
  windowStart: Date;
  movements: readonly { itemId: number; at: Date; quantity: number }[];
  historyStarts: ReadonlyMap<number, Date>;
  tallies: ReadonlyMap<number, ItemTally>;
  level: StockLevel;
}

function summariseItem(itemLots: readonly StoreLot[], figures: ItemFigures) {
  const [first] = itemLots;
  if (!first) throw new Error("an item group is never empty");
  const { now, windowStart, level } = figures;
  const stockOnHand = sum(itemLots.map((lot) => lot.quantity));
  const usableStock = usableDoses(itemLots, now);
  const itemMovements = figures.movements.filter((movement) => movement.itemId === first.itemId);
  const historyStart = figures.historyStarts.get(first.itemId) ?? now;
  // A store newer than the window is measured over its own history, but never under a month.
  const windowFrom = new Date(
    Math.max(windowStart.getTime(), Math.min(historyStart.getTime(), now.getTime() - DAYS_PER_MONTH * DAY_MS)),
  );
  // The balance at the window's start: today's, less everything that moved since.
  const opening = stockOnHand - sum(itemMovements.filter((m) => m.at >= windowFrom).map((m) => m.quantity));
  const outDays = stockOutDays(opening, itemMovements, windowFrom, now);
  const windowDays = (now.getTime() - windowFrom.getTime()) / DAY_MS;
  const tally = figures.tallies.get(first.itemId) ?? emptyTally;
  const amc = averageMonthlyConsumption({ consumedDoses: tally.consumedDoses, windowDays, stockOutDays: outDays });
  const mos = monthsOfStock(usableStock, amc);
  return {
    itemId: first.itemId,
    itemCode: first.itemCode,
    itemName: first.itemName,
    dosesPerVial: first.dosesPerVial,
    freezeSensitive: first.freezeSensitive,
    stockOnHand,
    usableStock,
    unusableStock: stockOnHand - usableStock,
    averageMonthlyConsumption: amc,
    monthsOfStock: mos === null ? null : round(mos, 2),
    status: stockStatus(usableStock, amc, level),
    minMonths: level.minMonths,
    maxMonths: level.maxMonths,
    suggestedOrderDoses: suggestedOrderDoses({
      stockOnHand: usableStock,
      amc,
      level,
      dosesPerVial: first.dosesPerVial,
    }),
    stockOutDays: round(outDays, 1),
    expiring: expiringDoses(itemLots, now),
    usage: { ...tally, rates: wastageRates(tally) },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The store's lots (including empty ones: an item at zero is a stock-out, not absent). */
async function findStoreLots(db: Executor, orgUnitId: number) {
  return db
    .select({
      itemId: items.id,
      itemCode: items.code,
      itemName: items.name,
      dosesPerVial: items.dosesPerVial,
      freezeSensitive: items.freezeSensitive,
      batchId: stockBalances.batchId,
      quantity: stockBalances.quantity,
      vvmStage: stockBalances.vvmStage,
      expiryDate: batches.expiryDate,
    })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(eq(stockBalances.orgUnitId, orgUnitId))
    .orderBy(asc(items.code), asc(batches.expiryDate));
}
