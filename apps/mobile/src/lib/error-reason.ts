import type { AppRouter, ErrorReason } from "@rantai/api";
import { isTRPCClientError } from "@trpc/client";

/**
 * The phone branches on the server's machine-readable reason (`data.reason`), never on its
 * wording: messages may be reworded or translated, reasons stay.
 */

/** Why the server refused a call; null when no answer came from it (offline, a proxy's page) or the failure is local. */
export function errorReasonOf(error: unknown): ErrorReason | null {
  if (!isTRPCClientError<AppRouter>(error)) return null;
  return error.data?.reason ?? null;
}

/** The server no longer accepts the session (expired, revoked, user disabled): the app signs out. */
export function isSignedOut(error: unknown): boolean {
  return errorReasonOf(error) === "auth.not_signed_in";
}

/**
 * The idempotency key cannot be sent again: an earlier attempt with it was saved with other
 * content, or it belongs to another change. The next attempt needs a new key.
 */
export function isKeySpent(error: unknown): boolean {
  const reason = errorReasonOf(error);
  return reason === "idempotency.payload_mismatch" || reason === "idempotency.key_reused";
}

/** An earlier attempt with this key reached the server and was saved before the form changed. */
export function isEarlierAttemptSaved(error: unknown): boolean {
  return errorReasonOf(error) === "idempotency.payload_mismatch";
}
