import { isIP } from "node:net";

/**
 * Where a request came from, for the audit log and sign-in throttling.
 *
 * `X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
 * the operator says proxies of their own stand in front (`trustedProxyHops`): each trusted proxy
 * appends the address it saw, so the client's address is the hops-th entry from the right and
 * anything left of it may be forged. With no trusted proxy the header is ignored entirely and
 * the peer address is used — when the host process knows it (Next.js route handlers do not
 * expose the socket; there it is null rather than a value the client chose).
 */
export function resolveClientAddress(input: {
  headers: Headers;
  trustedProxyHops: number;
  peerAddress?: string | null | undefined;
}): string | null {
  if (input.trustedProxyHops <= 0) return normalizeAddress(input.peerAddress);
  // Several X-Forwarded-For headers are joined with ", " by Headers, in arrival order.
  const entries = (input.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // A request that did not pass every proxy the operator named reached the app some other way:
  // its header proves nothing, but the connection's own address (when known) is still true.
  if (entries.length < input.trustedProxyHops) return normalizeAddress(input.peerAddress);
  return normalizeAddress(entries[entries.length - input.trustedProxyHops]);
}

/** A bare IPv4 or IPv6 address (IPv4-mapped IPv6 unwrapped), or null for anything else. */
export function normalizeAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim().slice(0, 64);
  const unbracketed = /^\[(.+)\](?::\d+)?$/.exec(trimmed)?.[1] ?? trimmed;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed)?.[1];
  const address = mapped ?? unbracketed;
  return isIP(address) ? address.toLowerCase() : null;
}

/**
 * The unit sign-in limits count per address: an IPv4 address itself, but for IPv6 its /64 —
 * one subscriber usually holds a whole /64 and could otherwise try from a fresh address each time.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array.from({ length: missing }, () => "0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}
