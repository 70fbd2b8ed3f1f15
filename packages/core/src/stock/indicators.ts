import { daysUntilExpiry, isExpired, isVvmUsable } from "./batch-usability";

/**
 * Stock indicators as pure functions of figures read from the ledger (vaccine-domain.md §5–7).
 * All quantities are doses; a "month" is 30 days.
 */

export const DAYS_PER_MONTH = 30;

/**
 * Average monthly consumption (AMC). Consumption is what left a store to be used: usage (vials
 * opened) plus issues to the stores it supplies, less returns it received back, each net of
 * reversals. Discards are not consumption (they are wastage, reported on their own), so a
 * store's waste does not raise its own resupply.
 *
 * The window is the last N months, or the store's own history of the item if shorter (but never
 * under one month, so a single busy day is not extrapolated). As in OpenLMIS, consumption is
 * scaled up for days the store was stocked out: adjusted = consumed × days ÷ (days − stock-out
 * days). AMC = ceil(adjusted × 30 ÷ days). A store out of stock the whole window has AMC 0.
 */
export function averageMonthlyConsumption(input: {
  consumedDoses: number;
  windowDays: number;
  stockOutDays: number;
}): number {
  const { consumedDoses, windowDays } = input;
  if (consumedDoses <= 0 || windowDays <= 0) return 0;
  const stockedDays = windowDays - Math.min(Math.max(input.stockOutDays, 0), windowDays);
  if (stockedDays <= 0) return 0;
  const adjusted = (consumedDoses * windowDays) / stockedDays;
  return Math.ceil((adjusted * DAYS_PER_MONTH) / windowDays - 1e-9);
}

/**
 * Usable stock: doses in lots neither expired at `at` nor past the VVM discard point. Status,
 * months of stock and the suggested order count only these: unusable doses cover no one.
 */
export function usableDoses(lots: readonly { quantity: number; expiryDate: string; vvmStage: number }[], at: Date) {
  return lots
    .filter((lot) => !isExpired(lot.expiryDate, at) && isVvmUsable(lot.vvmStage))
    .reduce((total, lot) => total + lot.quantity, 0);
}

/** Months of stock = SOH ÷ AMC; null when AMC is 0 (no consumption to measure against). */
export function monthsOfStock(stockOnHand: number, amc: number): number | null {
  return amc > 0 ? stockOnHand / amc : null;
}

export type StockStatus = "stock_out" | "below_min" | "normal" | "above_max" | "unknown";

export interface StockLevel {
  minMonths: number;
  maxMonths: number;
}

/**
 * SMILE's stock status: out of stock at SOH 0; otherwise by months of stock against the
 * store's min/max — at or below min is "below_min" (the same point where a reorder is
 * suggested), above max is "above_max". With stock but no consumption yet it is "unknown".
 */
export function stockStatus(stockOnHand: number, amc: number, level: StockLevel): StockStatus {
  if (stockOnHand <= 0) return "stock_out";
  const mos = monthsOfStock(stockOnHand, amc);
  if (mos === null) return "unknown";
  if (level.minMonths > 0 && mos <= level.minMonths) return "below_min";
  if (mos > level.maxMonths) return "above_max";
  return "normal";
}

/**
 * Suggested order (Open mSupply `request_requisition/generate.rs`), in doses:
 *   MOS = SOH ÷ AMC; when MOS ≤ min: suggested = max(0, max × AMC − SOH), else 0.
 * When min is 0, max is the trigger. Rounded up to whole vials, because stock moves in vials.
 */
export function suggestedOrderDoses(input: {
  stockOnHand: number;
  amc: number;
  level: StockLevel;
  dosesPerVial: number;
}): number {
  const { stockOnHand, amc, level } = input;
  const mos = monthsOfStock(stockOnHand, amc);
  if (mos === null) return 0;
  const trigger = level.minMonths > 0 ? level.minMonths : level.maxMonths;
  if (mos > trigger) return 0;
  const doses = Math.max(0, level.maxMonths * amc - stockOnHand);
  const perVial = Math.max(1, input.dosesPerVial);
  return Math.ceil(doses / perVial - 1e-9) * perVial;
}

export interface TimedQuantity {
  at: Date;
  /** Signed doses. */
  quantity: number;
}

/**
 * Days in [from, to] during which the item's stock was zero, given the balance at `from` and
 * the movements after it (any order). Fractional: 12 hours out of stock is 0.5 days.
 */
export function stockOutDays(openingBalance: number, movements: readonly TimedQuantity[], from: Date, to: Date) {
  const sorted = movements
    .filter((movement) => movement.at >= from && movement.at <= to)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  let balance = openingBalance;
  let since = from.getTime();
  let outMs = 0;
  for (const movement of sorted) {
    if (balance <= 0) outMs += movement.at.getTime() - since;
    balance += movement.quantity;
    since = movement.at.getTime();
  }
  if (balance <= 0) outMs += to.getTime() - since;
  return outMs / 86_400_000;
}

export interface ExpiringDoses {
  expired: number;
  within30Days: number;
  within60Days: number;
  within90Days: number;
}

/** Doses by time to expiry (cumulative windows: within 60 includes within 30); expired lots apart. */
export function expiringDoses(lots: readonly { quantity: number; expiryDate: string }[], at: Date): ExpiringDoses {
  const result: ExpiringDoses = { expired: 0, within30Days: 0, within60Days: 0, within90Days: 0 };
  for (const lot of lots) {
    const days = daysUntilExpiry(lot.expiryDate, at);
    if (days < 0) result.expired += lot.quantity;
    else {
      if (days <= 30) result.within30Days += lot.quantity;
      if (days <= 60) result.within60Days += lot.quantity;
      if (days <= 90) result.within90Days += lot.quantity;
    }
  }
  return result;
}

export interface WastageRates {
  /** UR = administered ÷ used × 100. */
  usageRate: number;
  /** WR = 100 − UR. */
  wastageRate: number;
  /** WF = 100 ÷ (100 − WR); null when nothing was administered. */
  wastageFactor: number | null;
  /** (used − administered) ÷ used × 100. */
  openVialWastageRate: number;
  /** Closed-vial doses discarded ÷ used × 100. */
  closedVialWastageRate: number;
}

/**
 * Wastage over a period (vaccine-domain.md §6; WHO). "Used" is doses in vials opened. Rates are
 * percentages to one decimal; null when no dose was used (nothing to divide by).
 */
export function wastageRates(input: {
  dosesUsed: number;
  dosesAdministered: number;
  closedVialDosesDiscarded: number;
}): WastageRates | null {
  const { dosesUsed, dosesAdministered } = input;
  if (dosesUsed <= 0) return null;
  const usageRate = (dosesAdministered / dosesUsed) * 100;
  return {
    usageRate: round(usageRate, 1),
    wastageRate: round(100 - usageRate, 1),
    wastageFactor: dosesAdministered > 0 ? round(100 / usageRate, 2) : null,
    openVialWastageRate: round(((dosesUsed - dosesAdministered) / dosesUsed) * 100, 1),
    closedVialWastageRate: round((input.closedVialDosesDiscarded / dosesUsed) * 100, 1),
  };
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
