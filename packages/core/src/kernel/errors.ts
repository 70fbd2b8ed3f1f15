/**
 * The one application error. Domain code throws it with a closed code and a message written for
 * the person using Rantai (what went wrong and how to fix it); only the API layer maps it to
 * tRPC/HTTP (see trpc.ts), so domain functions stay usable from ingest, jobs and tests.
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

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Seconds a client should wait before retrying (TOO_MANY_REQUESTS). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** The message every out-of-scope request gets: it must not reveal whether the thing exists. */
export const forbiddenMessage =
  "You do not have access to this. It belongs to an organisation unit outside yours; ask your administrator if you need it.";

export function forbidden(): AppError {
  return new AppError("FORBIDDEN", forbiddenMessage);
}
