import { appRouter, createApiContext } from "@rantai/api";
import { retryAfterResponseMeta } from "@rantai/core/auth";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { readApiRequest } from "~/server/auth";
import { corsHeadersFor } from "~/server/cors";
import { webLogger } from "~/server/logger";
import { withRequestLimits } from "~/server/request-limits";
import { getServices } from "~/server/services";

/** The phone app's web build calls the API from another origin with a bearer token. */
function corsHeaders(request: NextRequest): Record<string, string> {
  return corsHeadersFor(request, {
    methods: "GET, POST, OPTIONS",
    headers: "authorization, content-type, trpc-accept, x-trpc-source, x-request-id",
  });
}

/** Largest tRPC batch; the clients' batch links use the same or a lower limit. */
const maxBatchSize = 10;

async function handler(request: NextRequest) {
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize,
    createContext: async () => createApiContext(getServices(), await readApiRequest(request.headers)),
    // Throttled calls (sign-in limits) tell clients when to try again.
    responseMeta: retryAfterResponseMeta,
    // Procedures' failures are logged where they happen (trpc.ts); a failure before any
    // procedure ran (no context: database or Redis unreachable) is logged here. The client
    // gets only the generic message either way.
    onError: ({ error, ctx, path }) => {
      if (error.code !== "INTERNAL_SERVER_ERROR" || ctx) return;
      const cause = error.cause ?? error;
      // A failed query's message ends with its parameters (token hashes among them): not logged.
      const message = cause.message.split("\nparams:")[0];
      const reason = cause.cause instanceof Error ? cause.cause.message : undefined;
      webLogger.error({ path, error: message, reason }, "request_failed");
    },
  });
  for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
  return response;
}

export function OPTIONS(request: NextRequest) {
  return new Response(null, { status: 204, headers: corsHeaders(request) });
}

// Bodies are read under the size limit as they stream, and JSON nesting is checked before tRPC
// and superjson parse anything; refusals carry the CORS headers so the phone app can read them.
const limitedHandler = withRequestLimits(handler, { json: true, headers: corsHeaders });

export { limitedHandler as GET, limitedHandler as POST };
