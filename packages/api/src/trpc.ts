import { AppError, type AppErrorCode, contextLogger, type ErrorReason } from "@rantai/core/kernel";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { ApiContext } from "./context";

const trpcCodes: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

const internalMessage =
  "Something went wrong on our side. Try again in a minute; if it keeps happening, tell your administrator.";

/** "email: Invalid email address; password: Enter your password" */
function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * The reason of an error that did not come from the domain: tRPC's own refusals (an unknown
 * procedure, a malformed body), the signed-in check, and failures nobody foresaw.
 */
function transportReason(code: TRPCError["code"]): ErrorReason {
  if (code === "INTERNAL_SERVER_ERROR") return "internal";
  if (code === "UNAUTHORIZED") return "auth.not_signed_in";
  if (code === "BAD_REQUEST" || code === "PARSE_ERROR") return "input.invalid";
  return "request.refused";
}

/** The reason every error shape carries; clients branch on it, never on the message. */
function reasonOf(error: TRPCError, zodError: ZodError | null): ErrorReason {
  // An AppError that escaped the mapping (thrown while building the context) is reported as what
  // the client sees: an internal error with the generic message.
  if (error.cause instanceof AppError && error.code !== "INTERNAL_SERVER_ERROR") return error.cause.reason;
  if (zodError) return "input.invalid";
  return transportReason(error.code);
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  // Subscriptions (the live alarm inbox) stream over SSE: a ping keeps proxies from closing an
  // idle stream, and each stream ends after 5 minutes so the client reconnects through a fresh
  // context — a user disabled or signed out meanwhile is refused there, not streamed to forever.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    maxDurationMs: 5 * 60_000,
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const isInternal = error.code === "INTERNAL_SERVER_ERROR";
    // Only named fields leave the server: never `stack` (tRPC adds it in development), a cause,
    // or any field a future tRPC version might add. Internal errors' text stays in the log.
    return {
      code: shape.code,
      message: zodError ? `Invalid input: ${describeZodError(zodError)}` : isInternal ? internalMessage : shape.message,
      data: {
        code: shape.data.code,
        reason: reasonOf(error, zodError),
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodError: zodError ? z.flattenError(zodError) : null,
        retryAfterSeconds: error.cause instanceof AppError ? (error.cause.retryAfterSeconds ?? null) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps the domain's AppError to its tRPC code in this one place, and logs unexpected errors. */
const mapErrors = t.middleware(async ({ next, path, ctx }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: trpcCodes[cause.code], message: cause.message, cause });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR") {
    contextLogger({ requestId: ctx.meta.requestId, actorId: ctx.actor?.userId }).error(
      // A failed query's message ends with its parameters (token hashes among them): not logged.
      { path, error: (result.error.cause?.message ?? result.error.message).split("\nparams:")[0] },
      "procedure_failed",
    );
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

const signedInMessage = "You are not signed in, or your session has ended. Sign in again.";

/** A procedure for a signed-in, active user; narrows `ctx.actor` to non-null. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: signedInMessage });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});
