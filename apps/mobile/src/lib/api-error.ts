import type { AppRouter } from '@rantai/api';
import { isTRPCClientError } from '@trpc/client';
import { config } from '@/config';

/** True when the server rejected the session (expired, revoked, user disabled). */
export function isUnauthorized(error: unknown): boolean {
  return isTRPCClientError<AppRouter>(error) && error.data?.code === 'UNAUTHORIZED';
}

/**
 * A message fit to show staff. Errors with a tRPC error shape came from our
 * server and carry a human message; anything else means the request never got
 * a proper answer (offline, wrong URL, CORS, proxy page), which staff can only
 * act on by checking the connection or the configured server.
 */
export function describeError(error: unknown): string {
  if (isTRPCClientError<AppRouter>(error) && error.shape) return error.message;
  return `Could not reach the Rantai server at ${config.apiUrl}. Check your connection and try again.`;
}
