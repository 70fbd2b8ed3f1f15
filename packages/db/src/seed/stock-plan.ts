import type { ItemKind, OrgUnitLevel, openVialPolicies } from "../schema";
import { BIO_FARMA } from "./item-catalog";
import { createRandom } from "./random";

/**
 * Pure planning of the opening stock and a week of usage, kept apart from the database code so
 * that it can be unit-tested. Every quantity comes from generators keyed by org code and item
 * code: only the dates move with `now`.
 */

export interface PlanStore {
  id: number;
  code: string;
  name: string;
  level: OrgUnitLevel;
  parentId: number | null;
}

export interface PlanItem {
  id: number;
  code: string;
  kind: ItemKind;
  dosesPerVial: number;
  openVialPolicy: (typeof openVialPolicies)[number];
  manufacturer: string | null;
  monthlyDoses: number;
}

export interface PlanLot {
  id: number;
  itemId: number;
  expiryDate: string;
}

/** Each item's lots, earliest expiry first (the order stock is received and used in: FEFO). */
export function groupLotsByItem(batchList: readonly PlanLot[]): Map<number, PlanLot[]> {
  const lotsByItem = new Map<number, PlanLot[]>();
  for (const batch of batchList) {
    const lots = lotsByItem.get(batch.itemId) ?? [];
    lots.push({ id: batch.id, itemId: batch.itemId, expiryDate: batch.expiryDate });
    lotsByItem.set(batch.itemId, lots);
  }
  for (const lots of lotsByItem.values()) lots.sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.id - b.id);
  return lotsByItem;
}

export interface PlannedEntry {
  idempotencyKey: string;
  itemId: number;
  batchId: number;
  movementType: "receipt" | "transfer_in" | "transfer_out" | "usage";
  /** Signed doses: + received, − vials opened × doses per vial. */
  quantity: number;
  dosesAdministered: number | null;
  occurredAt: Date;
  counterpartyOrgUnitId: number | null;
  counterpartyName: string | null;
}

/** Demo min/max stock levels in months of stock per store level; confirm with the product owner. */
export const demoStockLevels: Record<OrgUnitLevel, { minMonths: number; maxMonths: number }> = {
  national: { minMonths: 3, maxMonths: 6 },
  province: { minMonths: 2, maxMonths: 4 },
  district: { minMonths: 1, maxMonths: 3 },
  facility: { minMonths: 1, maxMonths: 2 },
};

/** Opening stock in months of need, drawn per store × item; mostly between each level's min and max. */
const openingMonths: Record<OrgUnitLevel, [number, number]> = {
  national: [3.5, 5.5],
  province: [2.6, 3.8],
  district: [1.8, 2.8],
  facility: [1.3, 1.9],
};

/** How a store's stock spreads over the lots of an item, earliest expiry first. */
const lotShares: Record<Exclude<OrgUnitLevel, "facility">, number[]> = {
  national: [0.1, 0.45, 0.45],
  province: [0.05, 0.55, 0.4],
  district: [0.15, 0.85],
};

/** Days before `now` that each level received its opening stock (top of the chain first). */
const receiptDaysAgo: Record<OrgUnitLevel, number> = { national: 75, province: 50, district: 35, facility: 24 };

const WIB_OFFSET_MS = 7 * 3_600_000;

/** `minutes` after midnight WIB of the WIB day `daysAgo` days before `now`. */
export function wibTime(now: Date, daysAgo: number, minutes: number): Date {
  const day = Math.floor((now.getTime() + WIB_OFFSET_MS) / 86_400_000) - daysAgo;
  return new Date(day * 86_400_000 - WIB_OFFSET_MS + minutes * 60_000);
}

/**
 * Each store's size relative to a typical puskesmas: puskesmas vary from 0.6 to 1.5, and a
 * higher store serves the sum of what is below it.
 */
export function storeScales(stores: readonly PlanStore[]): Map<number, number> {
  const scales = new Map<number, number>();
  const depthOrder: OrgUnitLevel[] = ["facility", "district", "province", "national"];
  for (const level of depthOrder) {
    for (const store of stores.filter((s) => s.level === level)) {
      const own = level === "facility" ? createRandom(`scale:${store.code}`).between(0.6, 1.5) : 0;
      scales.set(store.id, (scales.get(store.id) ?? 0) + own);
      if (store.parentId !== null) {
        scales.set(store.parentId, (scales.get(store.parentId) ?? 0) + (scales.get(store.id) ?? 0));
      }
    }
  }
  return scales;
}

function lotVials(store: PlanStore, item: PlanItem, lots: readonly PlanLot[], totalVials: number): number[] {
  let shares: number[];
  if (store.level === "facility") {
    // About a third of puskesmas still hold some of the lot that is about to expire.
    const holdsShortLot = createRandom(`short-lot:${store.code}:${item.code}`).chance(1 / 3);
    shares = holdsShortLot ? [0.2, 0.8] : [0, 1];
  } else {
    shares = lotShares[store.level];
  }
  const vials = lots.map(() => 0);
  shares.forEach((share, index) => {
    const target = Math.min(index, lots.length - 1);
    vials[target] = (vials[target] ?? 0) + share;
  });
  return vials.map((share) => Math.round(share * totalVials));
}

/** Receipts of the opening stock for one store, then (puskesmas only) a week of usage. */
export function planStoreEntries(
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
    const random = createRandom(`stock:${store.code}:${item.code}`);
    const [minMonths, maxMonths] = openingMonths[store.level];
    let months = random.between(minMonths, maxMonths);
    // A few puskesmas run low or out, so stock-status screens show every state.
    if (store.level === "facility" && item.kind === "vaccine") {
      const roll = random.next();
      if (roll < 0.03) continue;
      if (roll < 0.11) months = random.between(0.5, 0.8);
    }
    const totalVials = Math.max(1, Math.ceil((item.monthlyDoses * scale * months) / item.dosesPerVial));
    const vials = lotVials(store, item, lots, totalVials);
    const balances = new Map<number, number>();
    lots.forEach((lot, index) => {
      const doses = (vials[index] ?? 0) * item.dosesPerVial;
      if (doses <= 0) return;
      balances.set(lot.id, doses);
      entries.push({
        idempotencyKey: `seed:receipt:${store.code}:${lot.id}`,
        itemId: item.id,
        batchId: lot.id,
        movementType: "receipt",
        quantity: doses,
        dosesAdministered: null,
        occurredAt: wibTime(now, receiptDaysAgo[store.level], 10 * 60),
        counterpartyOrgUnitId: parent?.id ?? null,
        counterpartyName: parent?.name ?? (item.manufacturer === BIO_FARMA ? BIO_FARMA : "UNICEF SD"),
      });
    });
    if (store.level === "facility" && item.kind === "vaccine") {
      entries.push(...planUsage(store, item, lots, balances, scale, now));
    }
  }
  return entries;
}

/** Doses given out of what left stock, by open-vial policy (WHO/IVB/14.07). */
function administered(item: PlanItem, doses: number, fraction: () => number): number {
  if (item.openVialPolicy === "not_applicable") return doses;
  const usedShare = item.openVialPolicy === "discard_6_hours" ? 0.4 + 0.4 * fraction() : 0.85 + 0.15 * fraction();
  return Math.max(1, Math.min(doses, Math.round(doses * usedShare)));
}

/** Immunization sessions on some of the last 7 days, drawing vials earliest expiry first. */
function planUsage(
  store: PlanStore,
  item: PlanItem,
  lots: readonly PlanLot[],
  balances: Map<number, number>,
  scale: number,
  now: Date,
): PlannedEntry[] {
  const random = createRandom(`usage:${store.code}:${item.code}`);
  let sessionDays = [7, 6, 5, 4, 3, 2, 1].filter(() => random.chance(0.5));
  if (sessionDays.length < 2) sessionDays = [5, 2];
  const perSession = (item.monthlyDoses * scale * 7) / 30 / sessionDays.length;
  const entries: PlannedEntry[] = [];
  for (const daysAgo of sessionDays) {
    let vialsLeft = Math.max(1, Math.round((perSession * random.between(0.7, 1.3)) / item.dosesPerVial));
    const occurredAt = wibTime(now, daysAgo, 8 * 60 + 30 + random.int(0, 240));
    for (const lot of lots) {
      const available = Math.floor((balances.get(lot.id) ?? 0) / item.dosesPerVial);
      const vials = Math.min(available, vialsLeft);
      if (vials <= 0) continue;
      const doses = vials * item.dosesPerVial;
      balances.set(lot.id, (balances.get(lot.id) ?? 0) - doses);
      vialsLeft -= vials;
      entries.push({
        idempotencyKey: `seed:usage:${store.code}:${lot.id}:d${daysAgo}`,
        itemId: item.id,
        batchId: lot.id,
        movementType: "usage",
        quantity: -doses,
        dosesAdministered: administered(item, doses, random.next),
        occurredAt,
        counterpartyOrgUnitId: null,
        counterpartyName: null,
      });
      if (vialsLeft === 0) break;
    }
  }
  return entries;
}

/**
 * Makes each store's opening stock from a seeded parent a transfer down the supply chain: the
 * child's receipt becomes a transfer_in, the parent issues the same doses of the same lot
 * (transfer_out) that day, and the parent's own receipt of the lot grows by what it issued. So a
 * province or district store's stock leaves by issues, as it does in life, and its months of
 * stock are measured against what it issues (a store records no usage of its own). Stores are
 * settled from the bottom of the chain up, so a district's grown receipt is what its province issues.
 */
export function planIssues(
  plans: readonly { store: PlanStore; entries: readonly PlannedEntry[] }[],
): { orgUnitId: number; entries: PlannedEntry[] }[] {
  const storeIds = new Set(plans.map((plan) => plan.store.id));
  const issuedBy = new Map<number, PlannedEntry[]>();
  const settled = new Map<number, PlannedEntry[]>();
  const bottomUp: OrgUnitLevel[] = ["facility", "district", "province", "national"];
  for (const level of bottomUp) {
    for (const { store, entries } of plans.filter((plan) => plan.store.level === level)) {
      const issues = [...(issuedBy.get(store.id) ?? [])].sort(
        (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
      );
      const toIssue = new Map<number, number>();
      for (const issue of issues) toIssue.set(issue.batchId, (toIssue.get(issue.batchId) ?? 0) - issue.quantity);
      const own = entries.map((entry) => {
        const issued = toIssue.get(entry.batchId);
        if (entry.movementType !== "receipt" || issued === undefined) return entry;
        toIssue.delete(entry.batchId);
        return { ...entry, quantity: entry.quantity + issued };
      });
      // A lot the store's own opening stock left out but its children were given: received whole, first.
      const opening = own[0];
      const extraReceipts = [...toIssue].map(([batchId, doses]): PlannedEntry => {
        const issue = issues.find((candidate) => candidate.batchId === batchId);
        return {
          idempotencyKey: `seed:receipt:${store.code}:${batchId}`,
          itemId: issue?.itemId ?? 0,
          batchId,
          movementType: "receipt",
          quantity: doses,
          dosesAdministered: null,
          occurredAt: opening?.occurredAt ?? issue?.occurredAt ?? new Date(0),
          counterpartyOrgUnitId: opening?.counterpartyOrgUnitId ?? null,
          counterpartyName: opening?.counterpartyName ?? null,
        };
      });
      const all = [...extraReceipts, ...own, ...issues];
      const parentId = store.parentId;
      if (parentId === null || !storeIds.has(parentId)) {
        settled.set(store.id, all);
        continue;
      }
      settled.set(
        store.id,
        all.map((entry) => {
          if (entry.movementType !== "receipt" || entry.counterpartyOrgUnitId !== parentId) return entry;
          const parentIssues = issuedBy.get(parentId) ?? [];
          parentIssues.push({
            ...entry,
            idempotencyKey: `seed:issue:${store.code}:${entry.batchId}`,
            movementType: "transfer_out",
            quantity: -entry.quantity,
            counterpartyOrgUnitId: store.id,
            counterpartyName: store.name,
          });
          issuedBy.set(parentId, parentIssues);
          return { ...entry, movementType: "transfer_in" as const };
        }),
      );
    }
  }
  return plans.map((plan) => ({ orgUnitId: plan.store.id, entries: settled.get(plan.store.id) ?? [] }));
}
