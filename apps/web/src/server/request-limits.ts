import { NextRequest } from "next/server";

/**
 * Bounds on what a client may send before any parser sees it. They hold whatever the request's
 * headers claim: a chunked body has no Content-Length, and a declared length may be a lie.
 */

/** Largest request body accepted (a sync push of 500 mutations fits comfortably). */
export const maxBodyBytes = 1024 * 1024;

/**
 * Deepest JSON nesting accepted. A tRPC batch with superjson is `{"0":{"json":…,"meta":…}}`
 * plus the input itself, and no procedure takes more than a few levels; superjson walks its
 * `meta` recursively, so an unbounded depth would overflow the stack.
 */
export const maxJsonDepth = 32;

export type TBodyReadResult = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too-large" };

/**
 * Reads a body stream into memory, counting bytes as they arrive, and stops (cancelling the
 * stream) as soon as the count passes `limit` — so memory never holds more than `limit` plus
 * one chunk, however long the sender keeps streaming.
 */
export async function readBodyWithLimit(
  body: ReadableStream<Uint8Array> | null,
  limit: number = maxBodyBytes,
): Promise<TBodyReadResult> {
  if (!body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: cancelling waits for the source to settle, and the 413 should not.
      reader.cancel().catch(() => undefined);
      return { ok: false, reason: "too-large" };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/**
 * The deepest nesting of arrays and objects in a JSON text, found in one pass without
 * recursion and without parsing, stopping early once `limit` is passed (returns `limit + 1`).
 * Brackets inside strings do not count. Text that is not valid JSON is left to the parser.
 */
export function measureJsonDepth(text: string, limit: number = maxJsonDepth): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) i++;
      else if (char === 0x22 /* " */) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** A message for the client when `text` nests deeper than allowed, or null when it is fine. */
export function describeJsonTooDeep(text: string, limit: number = maxJsonDepth): string | null {
  if (measureJsonDepth(text, limit) <= limit) return null;
  return `Request input nests too deeply: at most ${limit} levels of arrays and objects are accepted.`;
}

export type TRouteHandler<TContext> = (request: NextRequest, context: TContext) => Promise<Response>;

export interface TRequestLimitOptions {
  /** Check the JSON nesting of the body and of the `input` query parameter (tRPC). */
  json: boolean;
  /** Headers every refusal carries (CORS for the API). */
  headers?: (request: NextRequest) => Record<string, string>;
}

/**
 * Wraps a route handler so that it only ever sees a body that was read under `maxBodyBytes`
 * while it streamed (413 as soon as it passes, whatever Content-Length says or if it is
 * absent) and, for JSON endpoints, input that nests no deeper than `maxJsonDepth` (400).
 */
export function withRequestLimits<TContext>(
  handler: TRouteHandler<TContext>,
  options: TRequestLimitOptions,
): TRouteHandler<TContext> {
  return async (request, context) => {
    const refuse = (status: 400 | 413, message: string) => {
      // After a 413 the rest of the body is not wanted: closing the connection stops the sender.
      const close: Record<string, string> = status === 413 ? { connection: "close" } : {};
      return Response.json({ error: { message } }, { status, headers: { ...options.headers?.(request), ...close } });
    };
    const tooLarge = `Request body too large: at most ${maxBodyBytes} bytes; send fewer items per request.`;
    const declaredLength = Number(request.headers.get("content-length") ?? 0);
    if (declaredLength > maxBodyBytes) return refuse(413, tooLarge);
    if (options.json) {
      const queryInput = request.nextUrl.searchParams.get("input");
      const queryTooDeep = queryInput === null ? null : describeJsonTooDeep(queryInput);
      if (queryTooDeep) return refuse(400, queryTooDeep);
    }
    if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") {
      return handler(request, context);
    }
    const body = await readBodyWithLimit(request.body, maxBodyBytes);
    if (!body.ok) return refuse(413, tooLarge);
    if (options.json) {
      const bodyTooDeep = describeJsonTooDeep(new TextDecoder().decode(body.bytes));
      if (bodyTooDeep) return refuse(400, bodyTooDeep);
    }
    const bounded = new NextRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.bytes,
      signal: request.signal,
    });
    return handler(bounded, context);
  };
}
