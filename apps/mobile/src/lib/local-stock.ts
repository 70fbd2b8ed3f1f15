import {
  daysUntilExpiry,
  isExpired,
  isVvmUsable,
  monthsOfStock,
  type StockLevel,
  type StockStatus,
  stockStatus,
} from "@rantai/core/rules";
import type { LocalData } from "@/sync/local-store";
import type { ShownBalance } from "@/sync/optimistic";

/** Doses expiring within this many days are flagged "use first", as on the console. */
export const EXPIRING_WITHIN_DAYS = 90;

/** A lot as the phone shows it: the pulled balance less the queued actions, with its usability today. */
export interface Lot {
  batchId: number;
  itemId: number;
  itemCode: string;
  itemName: string;
  dosesPerVial: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  /** Doses shown (pulled, less what is waiting to be sent). */
  quantity: number;
  vials: number;
  daysUntilExpiry: number;
  usable: boolean;
}

/** One item of the facility's stock book, computed on the phone with the server's own rules. */
export interface StockItem {
  itemId: number;
  itemCode: string;
  itemName: string;
  dosesPerVial: number;
  stockOnHand: number;
  usableStock: number;
  unusableStock: number;
  /** Doses the waiting actions change (negative: taken), not yet confirmed by the server. */
  pendingDoses: number;
  averageMonthlyConsumption: number;
  monthsOfStock: number | null;
  status: StockStatus;
  minMonths: number;
  maxMonths: number;
  /** Usable doses that expire within `EXPIRING_WITHIN_DAYS`. */
  expiringSoon: number;
}

type ReferenceItem = NonNullable<LocalData["reference"]>["items"][number];

/** The facility's min/max months for an item: its own level's setting, else that level's default. */
function levelOf(data: LocalData, itemId: number): StockLevel {
  const [level] = data.reference?.levels.levels ?? [];
  const setting = level?.items.find((item) => item.itemId === itemId);
  if (setting) return { minMonths: setting.minMonths.low, maxMonths: setting.maxMonths.high };
  return level?.defaultLevel ?? { minMonths: 0, maxMonths: 0 };
}

/** Each shown balance as a lot of a known item; lots of items the catalogue lacks are left out. */
export function lotsOf(data: LocalData, balances: readonly ShownBalance[], now: Date): Lot[] {
  const items = new Map<number, ReferenceItem>((data.reference?.items ?? []).map((item) => [item.id, item]));
  return balances.flatMap((balance) => {
    const item = items.get(balance.itemId);
    if (!item) return [];
    return [
      {
        batchId: balance.batchId,
        itemId: item.id,
        itemCode: item.code,
        itemName: item.name,
        dosesPerVial: item.dosesPerVial,
        lotNumber: balance.lotNumber,
        expiryDate: balance.expiryDate,
        vvmStage: balance.vvmStage,
        quantity: balance.quantity,
        vials: Math.floor(balance.quantity / Math.max(1, item.dosesPerVial)),
        daysUntilExpiry: daysUntilExpiry(balance.expiryDate, now),
        usable: !isExpired(balance.expiryDate, now) && isVvmUsable(balance.vvmStage),
      },
    ];
  });
}

/**
 * The stock book by item: every vaccine the facility holds a lot of or consumes, with its status
 * against min/max (from usable stock, as the server's summary), in catalogue order. An item it
 * consumes but holds none of is a stock-out, not absent.
 */
export function stockItemsOf(data: LocalData, balances: readonly ShownBalance[], now: Date): StockItem[] {
  const lots = lotsOf(data, balances, now);
  const amcOf = new Map(data.consumption.map((rate) => [rate.itemId, rate.averageMonthlyConsumption]));
  const pendingOf = new Map(balances.map((balance) => [balance.batchId, balance.pendingDoses]));
  return (data.reference?.items ?? [])
    .filter((item) => item.kind === "vaccine")
    .flatMap((item) => {
      const held = lots.filter((lot) => lot.itemId === item.id);
      const amc = amcOf.get(item.id) ?? 0;
      if (held.length === 0 && amc === 0) return [];
      const usable = held.filter((lot) => lot.usable);
      const stockOnHand = sum(held.map((lot) => lot.quantity));
      const usableStock = sum(usable.map((lot) => lot.quantity));
      const level = levelOf(data, item.id);
      const months = monthsOfStock(usableStock, amc);
      return [
        {
          itemId: item.id,
          itemCode: item.code,
          itemName: item.name,
          dosesPerVial: item.dosesPerVial,
          stockOnHand,
          usableStock,
          unusableStock: stockOnHand - usableStock,
          pendingDoses: sum(held.map((lot) => pendingOf.get(lot.batchId) ?? 0)),
          averageMonthlyConsumption: amc,
          monthsOfStock: months === null ? null : Math.round(months * 100) / 100,
          status: stockStatus(usableStock, amc, level),
          minMonths: level.minMonths,
          maxMonths: level.maxMonths,
          expiringSoon: sum(
            usable.filter((lot) => lot.daysUntilExpiry <= EXPIRING_WITHIN_DAYS).map((lot) => lot.quantity),
          ),
        },
      ];
    });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
