/**
 * Whether a lot may still be given or issued. Expired lots and lots whose VVM reached the
 * discard point (stage 3) or beyond (4) may only be discarded (WHO/V&B/02.35; domain doc §2, §4).
 */

/** VVM stages 1 and 2 are usable; 3 is the discard point; 4 is beyond it. */
export const firstUnusableVvmStage = 3;

const WIB_OFFSET_MS = 7 * 3_600_000;

/**
 * The calendar date (YYYY-MM-DD) of an instant in Western Indonesia Time (UTC+7), where most
 * stores are. Expiry dates are calendar dates; a lot is usable through its expiry date.
 */
export function wibDate(at: Date): string {
  return new Date(at.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

export function isExpired(expiryDate: string, at: Date): boolean {
  return wibDate(at) > expiryDate;
}

export function isVvmUsable(vvmStage: number): boolean {
  return vvmStage < firstUnusableVvmStage;
}

export interface LotCondition {
  lotNumber: string;
  itemName: string;
  expiryDate: string;
  vvmStage: number;
}

/** Why a lot cannot be given or issued at `at`, as a sentence for the user; null when it can. */
export function unusableReason(lot: LotCondition, at: Date): string | null {
  if (isExpired(lot.expiryDate, at)) {
    return `Lot ${lot.lotNumber} of ${lot.itemName} expired on ${lot.expiryDate}. Expired vaccine cannot be issued or used; record it as a discard (reason: expired).`;
  }
  if (!isVvmUsable(lot.vvmStage)) {
    return `Lot ${lot.lotNumber} of ${lot.itemName} has reached VVM stage ${lot.vvmStage} (discard point). It cannot be issued or used; record it as a discard (reason: vvm_discard_point).`;
  }
  return null;
}

/** Whole days from `at` (WIB calendar) to an expiry date: 0 on the expiry day, negative once expired. */
export function daysUntilExpiry(expiryDate: string, at: Date): number {
  const today = Date.parse(`${wibDate(at)}T00:00:00Z`);
  return Math.round((Date.parse(`${expiryDate}T00:00:00Z`) - today) / 86_400_000);
}
