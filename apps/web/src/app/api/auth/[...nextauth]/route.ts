import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authRequestFrom, createAuthOptions } from "~/server/auth";
import { withRequestLimits } from "~/server/request-limits";

interface RouteContext {
  params: Promise<{ nextauth: string[] }>;
}

/**
 * next-auth with options made for this request, so sign-in and sign-out audit the caller's
 * address, and a sign-in refused by the limits answers 429 with Retry-After (the form still
 * reads next-auth's JSON and shows the message).
 */
async function handler(request: NextRequest, context: RouteContext): Promise<Response> {
  const authRequest = authRequestFrom(request.headers);
  const response: Response = await NextAuth(request, context, createAuthOptions(authRequest));
  if (authRequest.retryAfterSeconds === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set("retry-after", String(authRequest.retryAfterSeconds));
  return new Response(response.body, { status: 429, statusText: "Too Many Requests", headers });
}

// Sign-in bodies are read under the same streaming size limit as the API's.
const limitedHandler = withRequestLimits(handler, { json: false });

export { limitedHandler as GET, limitedHandler as POST };
