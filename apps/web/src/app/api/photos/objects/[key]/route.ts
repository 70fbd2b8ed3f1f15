import { Readable } from "node:stream";
import type { NextRequest } from "next/server";
import { corsHeadersFor } from "~/server/cors";
import { getLocalPhotoStore } from "~/server/services";

/**
 * The local photo store's signed links (PHOTO_STORAGE=local): a PUT stores one photo, a GET
 * returns it. The link itself is the permission — an HMAC over the operation, the key, the type,
 * the size and the expiry, issued by the photo procedures to users in scope — so no session is
 * read here. Nothing is stored beyond the size the link was signed for, whatever the headers say.
 */
function corsHeaders(request: NextRequest) {
  return corsHeadersFor(request, { methods: "GET, PUT, OPTIONS", headers: "content-type" });
}

function answer(request: NextRequest, status: number, extra: Record<string, string> = {}) {
  return new Response(null, { status, headers: { ...corsHeaders(request), ...extra } });
}

async function checkedLink(request: NextRequest, params: Promise<{ key: string }>, operation: "put" | "get") {
  const store = getLocalPhotoStore();
  if (!store) return { store: null, check: null };
  const { key } = await params;
  const check = store.verifyLink({ key, query: request.nextUrl.searchParams, operation, now: Date.now() });
  return { store, check };
}

export function OPTIONS(request: NextRequest) {
  return answer(request, 204);
}

export async function PUT(request: NextRequest, { params }: { params: Promise<{ key: string }> }) {
  const { store, check } = await checkedLink(request, params, "put");
  if (!store || !check) return answer(request, 404);
  if (!check.ok) return answer(request, 403);
  const { grant } = check;
  // The type is part of the signature: the photo is stored and later served as what was declared.
  if (request.headers.get("content-type") !== grant.contentType) return answer(request, 415);
  if (Number(request.headers.get("content-length") ?? 0) > grant.byteSize || !request.body) {
    return answer(request, request.body ? 413 : 400, { connection: "close" });
  }
  const written = await store.writeObject(grant.key, request.body, grant.byteSize);
  if (!written.ok) return answer(request, 413, { connection: "close" });
  return answer(request, 204);
}

export async function GET(request: NextRequest, { params }: { params: Promise<{ key: string }> }) {
  const { store, check } = await checkedLink(request, params, "get");
  if (!store || !check) return answer(request, 404);
  if (!check.ok) return answer(request, 403);
  const found = await store.readObject(check.grant.key);
  if (!found) return answer(request, 404);
  const secondsLeft = Math.max(0, Math.floor((check.grant.expiresAt - Date.now()) / 1000));
  return new Response(Readable.toWeb(found.stream) as ReadableStream<Uint8Array>, {
    headers: {
      ...corsHeaders(request),
      "content-type": check.grant.contentType,
      "content-length": String(found.byteSize),
      // Cached by this browser only, and never past the link's own expiry.
      "cache-control": `private, max-age=${secondsLeft}`,
    },
  });
}
