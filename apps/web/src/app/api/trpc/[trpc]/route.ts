import { appRouter, createApiContext } from "@rantai/api";
import { retryAfterResponseMeta } from "@rantai/api/auth";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";
import { env } from "~/env";
import { readApiRequest } from "~/server/auth";
import { getServices } from "~/server/services";

/**
 * The phone app's web build runs on another origin and authenticates with a bearer token, so
 * only the configured origins get CORS headers; the console itself is same-origin.
 */
function corsHeaders(request: NextRequest): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !env.API_ALLOWED_ORIGINS.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "authorization, content-type, trpc-accept, x-trpc-source, x-request-id",
    "access-control-max-age": "600",
    vary: "Origin",
  };
}

/** Largest request body accepted (a sync push of 500 mutations fits comfortably). */
const maxBodyBytes = 1024 * 1024;
/** Largest tRPC batch; the clients' batch links use the same or a lower limit. */
const maxBatchSize = 10;

async function handler(request: NextRequest) {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > maxBodyBytes) {
    return Response.json(
      { error: { message: `Request body too large: at most ${maxBodyBytes} bytes; send fewer items per request.` } },
      { status: 413, headers: corsHeaders(request) },
    );
  }
  const response = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize,
    createContext: async () => createApiContext(getServices(), await readApiRequest(request.headers)),
    // Throttled calls (sign-in limits) tell clients when to try again.
    responseMeta: retryAfterResponseMeta,
  });
  for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
  return response;
}

export function OPTIONS(request: NextRequest) {
  return new Response(null, { status: 204, headers: corsHeaders(request) });
}

export { handler as GET, handler as POST };
