import { pbkdf2, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

/**
 * Device passwords in the format Mosquitto's password file uses since 2.0 (what
 * `mosquitto_passwd` writes): `$7$<iterations>$<base64 salt>$<base64 hash>`, where hash =
 * PBKDF2-HMAC-SHA512(password, salt, iterations, 64 bytes) and the salt is 12 random bytes.
 * Mosquitto 2.0 writes 101 iterations; the broker reads the count from the hash, so more would
 * work too, but every device (re)connect pays for them on the broker's single thread, and the
 * secrets are 192-bit random values that gain nothing from key stretching.
 *
 * The same hash serves EMQX's built-in pbkdf2/sha512 authentication (see
 * docs/sensor-protocol.md, "Device security and broker operations").
 */
export const BROKER_HASH_ITERATIONS = 101;
const SALT_BYTES = 12;
const KEY_BYTES = 64;
const pbkdf2Async = promisify(pbkdf2);

export interface ParsedBrokerHash {
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

/** Splits a `$7$` hash; null for anything else (including Mosquitto 1.x `$6$` salted SHA-512). */
export function parseBrokerPasswordHash(hash: string): ParsedBrokerHash | null {
  const match = /^\$7\$(\d{1,9})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(hash);
  if (!match) return null;
  const [, iterations, salt, key] = match;
  if (iterations === undefined || salt === undefined || key === undefined) return null;
  const parsed = { iterations: Number(iterations), salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") };
  return parsed.iterations > 0 && parsed.salt.length > 0 && parsed.key.length === KEY_BYTES ? parsed : null;
}

export async function hashBrokerPassword(
  password: string,
  options: { salt?: Buffer; iterations?: number } = {},
): Promise<string> {
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const iterations = options.iterations ?? BROKER_HASH_ITERATIONS;
  const key = await pbkdf2Async(password, salt, iterations, KEY_BYTES, "sha512");
  return `$7$${iterations}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** True when `password` matches a `$7$` hash; false for a wrong password or a malformed hash. */
export async function verifyBrokerPassword(hash: string, password: string): Promise<boolean> {
  const parsed = parseBrokerPasswordHash(hash);
  if (!parsed) return false;
  const key = await pbkdf2Async(password, parsed.salt, parsed.iterations, KEY_BYTES, "sha512");
  return timingSafeEqual(key, parsed.key);
}
