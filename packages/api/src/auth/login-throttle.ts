import type { Redis } from "ioredis";

/**
 * Failed sign-ins per account, kept in Redis so every web replica sees the same count.
 * After `freeAttempts` failures each further attempt waits an exponentially growing delay
 * (capped), which bounds guessing without ever locking the owner out for good.
 */
export interface LoginThrottleOptions {
  freeAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures are forgotten this long after the last one. */
  windowSeconds: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  freeAttempts: 10,
  baseDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};

const key = (email: string) => `rantai:login-failures:${email.toLowerCase()}`;

export function delayAfterFailures(failures: number, options: LoginThrottleOptions): number {
  if (failures < options.freeAttempts) return 0;
  const exponent = failures - options.freeAttempts;
  return Math.min(options.maxDelaySeconds, options.baseDelaySeconds * 2 ** Math.min(exponent, 20));
}

/** Seconds the caller must still wait before another attempt is checked; 0 when free to try. */
export async function secondsUntilNextAttempt(
  redis: Redis,
  email: string,
  options: LoginThrottleOptions = defaultLoginThrottle,
  now = Date.now(),
): Promise<number> {
  const [failures, lastFailureAt] = await redis.hmget(key(email), "failures", "lastFailureAt");
  const delay = delayAfterFailures(Number(failures ?? 0), options);
  if (delay === 0) return 0;
  const waitUntil = Number(lastFailureAt ?? 0) + delay * 1000;
  return Math.max(0, Math.ceil((waitUntil - now) / 1000));
}

export async function recordFailedAttempt(
  redis: Redis,
  email: string,
  options: LoginThrottleOptions = defaultLoginThrottle,
  now = Date.now(),
): Promise<void> {
  await redis
    .multi()
    .hincrby(key(email), "failures", 1)
    .hset(key(email), "lastFailureAt", String(now))
    .expire(key(email), options.windowSeconds)
    .exec();
}

export async function clearFailedAttempts(redis: Redis, email: string): Promise<void> {
  await redis.del(key(email));
}
