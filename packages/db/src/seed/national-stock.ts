import type { OrgUnitLevel } from "../schema";
import { createRandom } from "./random";
import type { PlanItem, PlanLot, PlannedEntry, PlanStore } from "./stock-plan";
import { wibTime } from "./stock-plan";

/**
 * Pure planning of a national store's 90 days of ledger: an opening receipt 95 days ago and a
 * monthly resupply from the level above (days 65, 35 and 5), spread over the item's lots; each
 * puskesmas uses its vaccines in a weekly immunization session, earliest expiry first. Every
 * quantity comes from generators keyed by the dataset's seed, the store code and the item code.
 */

export const NATIONAL_LEDGER_DAYS = 90;
const RECEIPT_DAYS_AGO = [95, 65, 35, 5] as const;

/** Months of need in the opening receipt, per level (each resupply is about one month). */
const openingMonths: Record<OrgUnitLevel, [number, number]> = {
  national: [3, 4.5],
  province: [2, 3],
  district: [1.3, 2],
  facility: [1, 1.5],
};

/** Share of a receipt per lot, earliest expiry first (lots past expiry at the receipt get none). */
function lotShares(lots: readonly PlanLot[], receivedAt: Date): { lot: PlanLot; share: number }[] {
  const day = receivedAt.toISOString().slice(0, 10);
  const usable = lots.filter((lot) => lot.expiryDate > day);
  if (usable.length === 0) return [];
  if (usable.length === 1) return [{ lot: usable[0] as PlanLot, share: 1 }];
  return usable.slice(0, 2).map((lot, index) => ({ lot, share: index === 0 ? 0.3 : 0.7 }));
}

export function planNationalStoreEntries(
  seed: number,
  store: PlanStore,
  parent: PlanStore | undefined,
  scale: number,
  itemList: readonly PlanItem[],
  lotsByItem: ReadonlyMap<number, readonly PlanLot[]>,
  now: Date,
): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const item of itemList) {
    const lots = lotsByItem.get(item.id) ?? [];
    if (lots.length === 0 || item.monthlyDoses <= 0) continue;
    const random = createRandom(`n${seed}:stock:${store.code}:${item.code}`);
    const monthlyVials = (item.monthlyDoses * scale) / item.dosesPerVial;
    const [minMonths, maxMonths] = openingMonths[store.level];
    const balances = new Map<number, number>();
    const events: { daysAgo: number; entries: PlannedEntry[] }[] = [];
    RECEIPT_DAYS_AGO.forEach((daysAgo, index) => {
      const months = index === 0 ? random.between(minMonths, maxMonths) : random.between(0.8, 1.2);
      const occurredAt = wibTime(now, daysAgo, 10 * 60);
      const receipts: PlannedEntry[] = [];
      for (const { lot, share } of lotShares(lots, occurredAt)) {
        const doses = Math.max(1, Math.round(monthlyVials * months * share)) * item.dosesPerVial;
        receipts.push({
          idempotencyKey: `seed:n:receipt:${store.code}:${lot.id}:d${daysAgo}`,
          itemId: item.id,
          batchId: lot.id,
          movementType: "receipt",
          quantity: doses,
          dosesAdministered: null,
          occurredAt,
          counterpartyOrgUnitId: parent?.id ?? null,
          counterpartyName: parent?.name ?? "UNICEF SD",
        });
      }
      events.push({ daysAgo, entries: receipts });
    });
    if (store.level === "facility" && item.kind === "vaccine") {
      const weekday = random.int(0, 5);
      for (let daysAgo = NATIONAL_LEDGER_DAYS - weekday; daysAgo >= 1; daysAgo -= 7) {
        events.push({ daysAgo, entries: [] });
      }
    }
    // In time order: receipts before the sessions that draw on them.
    events.sort((a, b) => b.daysAgo - a.daysAgo || b.entries.length - a.entries.length);
    for (const event of events) {
      if (event.entries.length > 0) {
        for (const receipt of event.entries) {
          balances.set(receipt.batchId, (balances.get(receipt.batchId) ?? 0) + receipt.quantity);
          entries.push(receipt);
        }
        continue;
      }
      let vialsLeft = Math.max(1, Math.round((monthlyVials * 7 * random.between(0.7, 1.3)) / 30));
      const occurredAt = wibTime(now, event.daysAgo, 8 * 60 + 30 + random.int(0, 240));
      const day = occurredAt.toISOString().slice(0, 10);
      for (const lot of lots) {
        if (lot.expiryDate <= day) continue;
        const vials = Math.min(Math.floor((balances.get(lot.id) ?? 0) / item.dosesPerVial), vialsLeft);
        if (vials <= 0) continue;
        const doses = vials * item.dosesPerVial;
        balances.set(lot.id, (balances.get(lot.id) ?? 0) - doses);
        vialsLeft -= vials;
        const usedShare =
          item.openVialPolicy === "discard_6_hours" ? random.between(0.4, 0.8) : random.between(0.85, 1);
        entries.push({
          idempotencyKey: `seed:n:usage:${store.code}:${lot.id}:d${event.daysAgo}`,
          itemId: item.id,
          batchId: lot.id,
          movementType: "usage",
          quantity: -doses,
          dosesAdministered:
            item.openVialPolicy === "not_applicable"
              ? doses
              : Math.max(1, Math.min(doses, Math.round(doses * usedShare))),
          occurredAt,
          counterpartyOrgUnitId: null,
          counterpartyName: null,
        });
        if (vialsLeft === 0) break;
      }
    }
  }
  return entries;
}
