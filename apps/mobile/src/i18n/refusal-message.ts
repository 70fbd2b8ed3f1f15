import type { ErrorReason } from "@rantai/api";
import type { LocalRejectionReason } from "../sync/optimistic";

/**
 * The reasons an action done on the phone is most often refused for, each with its own message
 * under `mobile.refusals`: what happened in a nurse's words and what to do next. Any other reason
 * is worded by the shared `errors` catalog.
 */
const advisedReasons = [
  "stock.insufficient",
  "stock.lot_unusable",
  "stock.doses_exceed_opened",
  "stock.not_whole_vials",
  "distribution.shipment_status",
  "scope.forbidden",
  "idempotency.payload_mismatch",
  "input.invalid",
  "sync.facility_unknown",
] as const satisfies readonly LocalRejectionReason[];
type AdvisedReason = (typeof advisedReasons)[number];

export type RefusalMessage = { key: `mobile.refusals.${AdvisedReason}` } | { key: `errors.${ErrorReason}` };

function isAdvised(reason: LocalRejectionReason): reason is AdvisedReason {
  return advisedReasons.some((advised) => advised === reason);
}

/** Which catalog message tells staff why an action was refused (on the phone or by the server) and what to do. */
export function refusalMessageOf(reason: LocalRejectionReason): RefusalMessage {
  return isAdvised(reason) ? { key: `mobile.refusals.${reason}` } : { key: `errors.${reason}` };
}
