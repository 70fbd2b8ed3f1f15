/**
 * The one application error. Domain code throws it with a stable reason from the catalog below
 * and a message written for the person using Rantai (what went wrong and how to fix it); only the
 * API layer maps it to tRPC/HTTP (see trpc.ts), so domain functions stay usable from ingest, jobs
 * and tests. Clients branch on the reason and translate it; the message may be reworded freely.
 *
 * This module imports nothing: the phone's pure rules (`@rantai/core/rules`) throw these errors too.
 */
export const appErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "UNPROCESSABLE",
  "TOO_MANY_REQUESTS",
  "INTERNAL",
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];

/**
 * Every reason an error may carry, declared once: the dotted name starts with the bounded context
 * (or `input`, `request`, `idempotency`, `scope` for what the kernel and the API layer raise) and
 * maps to the code the transport reports. A reason is a promise to clients: rename none, add freely.
 */
export const errorReasons = {
  // Raised by the API layer itself, never by domain code.
  "input.invalid": "BAD_REQUEST",
  "request.refused": "BAD_REQUEST",
  internal: "INTERNAL",

  "auth.not_signed_in": "UNAUTHORIZED",
  "auth.invalid_credentials": "UNAUTHORIZED",
  "auth.rate_limited": "TOO_MANY_REQUESTS",
  "auth.no_phone_session": "BAD_REQUEST",
  "auth.own_account": "UNPROCESSABLE",
  "auth.role_level_mismatch": "UNPROCESSABLE",
  "auth.email_taken": "CONFLICT",
  "orgs.code_taken": "CONFLICT",
  "orgs.parent_not_district": "UNPROCESSABLE",
  "orgs.not_a_facility": "UNPROCESSABLE",

  "scope.forbidden": "FORBIDDEN",

  "idempotency.in_progress": "CONFLICT",
  "idempotency.key_reused": "UNPROCESSABLE",
  "idempotency.payload_mismatch": "UNPROCESSABLE",

  "stock.busy": "CONFLICT",
  "stock.insufficient": "CONFLICT",
  "stock.not_whole_vials": "UNPROCESSABLE",
  "stock.doses_exceed_opened": "UNPROCESSABLE",
  "stock.lot_unusable": "UNPROCESSABLE",
  "stock.item_unknown": "UNPROCESSABLE",
  "stock.lot_label_mismatch": "UNPROCESSABLE",
  "stock.adjustment_direction": "UNPROCESSABLE",
  "stock.not_reversible": "UNPROCESSABLE",
  "stock.already_reversed": "CONFLICT",
  "stock.level_outside_scope": "UNPROCESSABLE",

  "distribution.no_parent_store": "UNPROCESSABLE",
  "distribution.no_supply_link": "UNPROCESSABLE",
  "distribution.nothing_to_order": "UNPROCESSABLE",
  "distribution.item_not_in_request": "UNPROCESSABLE",
  "distribution.request_not_pending": "CONFLICT",
  "distribution.request_not_approved": "UNPROCESSABLE",
  "distribution.shipment_status": "CONFLICT",
  "distribution.receipt_line_unknown": "UNPROCESSABLE",
  "distribution.receipt_line_missing": "UNPROCESSABLE",
  "distribution.receipt_exceeds_shipped": "UNPROCESSABLE",
  "distribution.receipt_wrong_item": "UNPROCESSABLE",
  "distribution.photo_type_unsupported": "UNPROCESSABLE",
  "distribution.photo_too_large": "UNPROCESSABLE",
  "distribution.photo_not_uploaded": "CONFLICT",
  "distribution.photo_content_mismatch": "UNPROCESSABLE",

  "coldchain.device_id_unusable": "BAD_REQUEST",
  "coldchain.device_id_taken": "CONFLICT",
  "coldchain.equipment_decommissioned": "UNPROCESSABLE",
  "coldchain.serial_taken": "CONFLICT",
  "coldchain.alarm_not_found": "NOT_FOUND",
  "coldchain.alarm_retracted": "CONFLICT",
  "coldchain.alarm_already_acknowledged": "CONFLICT",
  "coldchain.alarm_assignee_ineligible": "UNPROCESSABLE",

  "sync.client_other_user": "FORBIDDEN",
  "sync.mutation_gap": "CONFLICT",
  "sync.mutation_id_reused": "CONFLICT",

  "reports.export_not_ready": "CONFLICT",
  "reports.export_expired": "CONFLICT",
  "reports.export_too_large": "UNPROCESSABLE",
  "reports.export_failed": "INTERNAL",
  "reports.export_stalled": "INTERNAL",
} as const satisfies Record<string, AppErrorCode>;
export type ErrorReason = keyof typeof errorReasons;

export class AppError extends Error {
  readonly reason: ErrorReason;
  /** The transport code, derived from the reason so the two can never disagree. */
  readonly code: AppErrorCode;
  /** Seconds a client should wait before retrying (TOO_MANY_REQUESTS). */
  readonly retryAfterSeconds: number | undefined;
  /** Figures a client fills into its own translated message (`{ available: 20, needed: 30 }`). */
  readonly params: Readonly<Record<string, string | number>> | undefined;

  constructor(
    reason: ErrorReason,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number; params?: Record<string, string | number> },
  ) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.reason = reason;
    this.code = errorReasons[reason];
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.params = options?.params;
  }
}

/** The message every out-of-scope request gets: it must not reveal whether the thing exists. */
export const forbiddenMessage =
  "You do not have access to this. It belongs to an organisation unit outside yours; ask your administrator if you need it.";

export function forbidden(): AppError {
  return new AppError("scope.forbidden", forbiddenMessage);
}
