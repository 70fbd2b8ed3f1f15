/**
 * The header in which the console's own server (`apps/web/server.mjs`) passes the socket's peer
 * address to route handlers. The server replaces any value a client sent under this name, so it
 * can be believed; under `next dev` it is absent and the address is unknown (null).
 */
export const PEER_ADDRESS_HEADER = "x-rantai-peer-address";

export function peerAddressOf(headers: Headers): string | null {
  return headers.get(PEER_ADDRESS_HEADER) || null;
}
