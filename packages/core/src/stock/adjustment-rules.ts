/**
 * Why stock may be adjusted, and which way each reason may move it: `found` only adds, `lost`
 * and `stolen` only remove. Pure, so the phone refuses a wrong direction offline with the rule
 * the server applies.
 */
export const adjustmentReasons = ["found", "lost", "stolen", "data_correction", "other"] as const;
export type AdjustmentReason = (typeof adjustmentReasons)[number];

const inboundOnly: ReadonlySet<AdjustmentReason> = new Set(["found"]);
const outboundOnly: ReadonlySet<AdjustmentReason> = new Set(["lost", "stolen"]);

/** Whether an adjustment of `doses` (signed: + adds, − removes) fits its reason. */
export function isAdjustmentDirectionAllowed(reason: AdjustmentReason, doses: number): boolean {
  if (doses < 0) return !inboundOnly.has(reason);
  if (doses > 0) return !outboundOnly.has(reason);
  return true;
}
