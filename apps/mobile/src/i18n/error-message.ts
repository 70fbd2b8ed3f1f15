import type { AppRouter, ErrorReason } from "@rantai/api";
import { isTRPCClientError } from "@trpc/client";
import { errorReasonOf } from "../lib/error-reason";

/** Which catalog message tells staff about a failure, with its values. */
export type ErrorMessage =
  | { key: "mobile.errors.unreachable"; values: { url: string } }
  | { key: "mobile.errors.device"; values: { detail: string } }
  | { key: "mobile.errors.unknown" }
  | { key: "errors.internal" }
  | { key: `errors.${ErrorReason}` };

/**
 * The message for a failed call: the server's reason (`data.reason`), never its English text;
 * an answer with no reason means a server error; no answer at all means the connection.
 */
export function errorMessageOf(error: unknown, apiUrl: string): ErrorMessage {
  if (isTRPCClientError<AppRouter>(error)) {
    // Without a tRPC error shape the request never got a proper answer (offline, wrong
    // URL, CORS, a proxy's error page); all staff can do is check the connection.
    if (!error.shape) return { key: "mobile.errors.unreachable", values: { url: apiUrl } };
    const reason = errorReasonOf(error);
    return reason === null ? { key: "errors.internal" } : { key: `errors.${reason}` };
  }
  // Local failures, e.g. the secure store refusing to save the token.
  return error instanceof Error
    ? { key: "mobile.errors.device", values: { detail: error.message } }
    : { key: "mobile.errors.unknown" };
}
