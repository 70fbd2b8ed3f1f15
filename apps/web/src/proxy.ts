import { type NextRequest, NextResponse } from "next/server";
import { env } from "~/env";
import { createNonce, createPageContentSecurityPolicy, strictTransportSecurity } from "~/server/security-headers";

/** Photos on S3 are shown straight from the store through their signed links. */
const photoImageOrigins =
  env.PHOTO_STORAGE === "s3" && env.PHOTO_S3_ENDPOINT ? [new URL(env.PHOTO_S3_ENDPOINT).origin] : [];

/**
 * Gives every page response a fresh CSP nonce. Next reads the policy from the request headers
 * while rendering and puts the nonce on its inline scripts; the root layout reads a header, so
 * every page renders per request and none is served with a stale, prerendered nonce.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const https = request.nextUrl.protocol === "https:" || forwardedProto === "https";
  const policy = createPageContentSecurityPolicy(nonce, {
    development: env.NODE_ENV === "development",
    https,
    imageOrigins: photoImageOrigins,
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", strictTransportSecurity);
  return response;
}

export const config = {
  // The API is left out: its bodies must reach the route unbuffered so the streaming size
  // limit holds, and its fixed headers come from next.config.ts. Static files need no nonce.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon.ico).*)"],
};
