import { isExpired, isVvmUsable } from "../stock/batch-usability";

/** A lot a store could issue from. */
export interface AllocatableLot {
  batchId: number;
  itemId: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  availableDoses: number;
  dosesPerVial: number;
}

export interface ItemDemand {
  itemId: number;
  doses: number;
}

export type AllocationLine = {
  itemId: number;
  batchId: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  doses: number;
};
export type AllocationShortfall = { itemId: number; requestedDoses: number; allocatedDoses: number };
export type Allocation = { lines: AllocationLine[]; shortfalls: AllocationShortfall[] };

/**
 * Which lots to issue for each item (a proposal the user may edit before creating the shipment):
 * never an expired or VVM-unusable lot; the most heat-exposed usable lots first (VVM stage 2
 * before 1: use them before they reach the discard point), then earliest expiry (FEFO), then
 * lot id for a stable answer — Open mSupply's SortByVvmStatusThenExpiry. Demand is rounded up
 * to whole vials; what the lots cannot cover is reported as a shortfall.
 */
export function proposeAllocation(
  lots: readonly AllocatableLot[],
  demands: readonly ItemDemand[],
  at: Date,
): Allocation {
  const lines: AllocationLine[] = [];
  const shortfalls: AllocationShortfall[] = [];
  const taken = new Map<number, number>();
  for (const demand of demands) {
    const candidates = lots
      .filter((lot) => lot.itemId === demand.itemId && !isExpired(lot.expiryDate, at) && isVvmUsable(lot.vvmStage))
      .sort((a, b) => b.vvmStage - a.vvmStage || a.expiryDate.localeCompare(b.expiryDate) || a.batchId - b.batchId);
    const perVial = Math.max(1, candidates[0]?.dosesPerVial ?? 1);
    const wanted = Math.ceil(demand.doses / perVial) * perVial;
    let remaining = wanted;
    for (const lot of candidates) {
      if (remaining <= 0) break;
      const left = lot.availableDoses - (taken.get(lot.batchId) ?? 0);
      const wholeVials = Math.floor(left / perVial) * perVial;
      const doses = Math.min(remaining, wholeVials);
      if (doses <= 0) continue;
      taken.set(lot.batchId, (taken.get(lot.batchId) ?? 0) + doses);
      remaining -= doses;
      const { batchId, itemId, lotNumber, expiryDate, vvmStage } = lot;
      lines.push({ itemId, batchId, lotNumber, expiryDate, vvmStage, doses });
    }
    if (remaining > 0)
      shortfalls.push({ itemId: demand.itemId, requestedDoses: wanted, allocatedDoses: wanted - remaining });
  }
  return { lines, shortfalls };
}
