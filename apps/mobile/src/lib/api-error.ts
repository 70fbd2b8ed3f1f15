import type { AppRouter } from "@rantai/api";
import { isTRPCClientError } from "@trpc/client";
import { config } from "@/config";

/** A message fit to show staff. */
export function describeError(error: unknown): string {
  if (isTRPCClientError<AppRouter>(error)) {
    // A tRPC error shape means our server answered and chose the message.
    if (error.shape) return error.message;
    // Otherwise the request never got a proper answer (offline, wrong URL,
    // CORS, a proxy's error page); all staff can do is check the connection.
    return `Could not reach the Rantai server at ${config.apiUrl}. Check your connection and try again.`;
  }
  // Local failures, e.g. the secure store refusing to save the token.
  return error instanceof Error ? `Something went wrong on this device: ${error.message}` : "Something went wrong.";
}
