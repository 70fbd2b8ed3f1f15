/**
 * The header in which the console's own server (`apps/web/server.mjs`) passes the socket's peer
 * address to route handlers. That server replaces any value a client sent under this name and
 * marks the process (PEER_ADDRESS_MARK); only then is the header believed. Under `next dev` or a
 * bare `next start` a client could send it, so there the address is unknown (null).
 */
export const PEER_ADDRESS_HEADER = "x-rantai-peer-address";

/** Set on globalThis by server.mjs, which runs Next in the same process. */
const PEER_ADDRESS_MARK = Symbol.for("rantai.web.peerAddressHeader");

export function peerAddressOf(headers: Headers): string | null {
  if ((globalThis as Record<symbol, unknown>)[PEER_ADDRESS_MARK] !== true) return null;
  return headers.get(PEER_ADDRESS_HEADER) || null;
}
