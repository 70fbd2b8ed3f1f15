import type { NextRequest } from "next/server";
import { env } from "~/env";

/**
 * CORS headers for the configured origins only (`API_ALLOWED_ORIGINS`: the phone app's web
 * build, which runs on another origin); the console itself is same-origin and needs none.
 */
export function corsHeadersFor(
  request: NextRequest,
  allow: { methods: string; headers: string },
): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !env.API_ALLOWED_ORIGINS.includes(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": allow.methods,
    "access-control-allow-headers": allow.headers,
    "access-control-max-age": "600",
    vary: "Origin",
  };
}
