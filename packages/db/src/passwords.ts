import { hash, verify } from "@node-rs/argon2";

/** `Algorithm.Argon2id` of @node-rs/argon2, an ambient const enum that isolated modules cannot read. */
const ARGON2ID = 2;

/**
 * Argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1).
 * Used for user passwords, device credentials and machine-client secrets alike.
 */
export const argon2Options = {
  algorithm: ARGON2ID,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, argon2Options);
}

export async function verifySecret(phcHash: string, secret: string): Promise<boolean> {
  try {
    return await verify(phcHash, secret);
  } catch {
    // A malformed stored hash is a failed check, not a crash of the sign-in path.
    return false;
  }
}

/** True when a stored hash is weaker than the current setting and should be replaced on next sign-in. */
export function needsRehash(phcHash: string): boolean {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phcHash);
  if (!match) return true;
  const [, m, t, p] = match.map(Number);
  return m !== argon2Options.memoryCost || t !== argon2Options.timeCost || p !== argon2Options.parallelism;
}
