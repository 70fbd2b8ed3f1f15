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
