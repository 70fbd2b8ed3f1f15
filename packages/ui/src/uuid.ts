/**
 * A version 4 UUID, the idempotency key of a change sent by the console or the phone.
 *
 * expo-crypto is not a dependency, so this uses what the runtime offers, best first:
 * - `crypto.randomUUID()`: browsers, but only in secure contexts (https or localhost), so the
 *   web build served from a LAN address has no randomUUID;
 * - `crypto.getRandomValues()`: browsers in any context, and Hermes when a polyfill is installed;
 * - `Math.random()`: bare Hermes. An idempotency key must be unique, not secret, and the server
 *   binds each key to the user who first sent it, so a weaker generator only risks a refused
 *   (never a silently merged) change, at odds of about 2^-61 per pair of keys.
 */
export function randomUuid(): string {
  const webCrypto: Partial<Crypto> | undefined = typeof crypto === "undefined" ? undefined : crypto;
  if (typeof webCrypto?.randomUUID === "function") return webCrypto.randomUUID();
  return formatUuidV4(randomBytes(16, webCrypto));
}

function randomBytes(count: number, webCrypto: Partial<Crypto> | undefined): Uint8Array {
  const bytes = new Uint8Array(count);
  if (typeof webCrypto?.getRandomValues === "function") return webCrypto.getRandomValues(bytes);
  for (let i = 0; i < count; i++) bytes[i] = Math.floor(Math.random() * 256);
  return bytes;
}

/** Formats 16 random bytes as an RFC 9562 version 4 UUID (the server accepts only UUIDs). */
export function formatUuidV4(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  // Version nibble 4; variant bits 10xx, i.e. the first hex digit of the fourth group is 8–b.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
