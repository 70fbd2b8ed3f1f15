import { AppError } from "../kernel/errors";

/**
 * The `Retry-After` header for a response that carries throttled errors (sign-in limits): the
 * longest wait any of them asks for, in whole seconds, or no header. tRPC hosts pass this as
 * `responseMeta`; errors there are tRPC errors whose cause is the domain's AppError.
 */
export function retryAfterHeaders(errors: readonly unknown[]): Record<string, string> {
  const waits = errors.flatMap((error) => {
    const cause = error instanceof AppError ? error : error instanceof Error ? error.cause : undefined;
    const seconds = cause instanceof AppError ? cause.retryAfterSeconds : undefined;
    return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? [Math.ceil(seconds)] : [];
  });
  return waits.length > 0 ? { "retry-after": String(Math.max(...waits)) } : {};
}

/** `responseMeta` for tRPC's fetch and Node adapters. */
export function retryAfterResponseMeta({ errors }: { errors: readonly unknown[] }): {
  headers?: Record<string, string>;
} {
  const headers = retryAfterHeaders(errors);
  return Object.keys(headers).length > 0 ? { headers } : {};
}
