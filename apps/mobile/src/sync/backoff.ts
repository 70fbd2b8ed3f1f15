export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}
/** From a few seconds to five minutes: a failing server is not hammered, a returning signal is used soon. */
export const defaultBackoff: BackoffPolicy = { baseMs: 2_000, maxMs: 300_000 };

/** Full jitter: a random wait up to the doubled ceiling, so phones that lost the same server do not return together. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(policy.baseMs / 2, Math.floor(random() * ceiling));
}
