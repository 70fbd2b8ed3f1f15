import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../kernel/errors";
import { addressBucket } from "./client-address";

/**
 * Sign-in throttling, per account and per client address, in Redis so every web replica shares
 * the counts. An attempt takes a point from every limit BEFORE the password is hashed (Redis
 * increments atomically, so forty concurrent tries on one account get exactly as many checks as
 * the limit allows); a successful sign-in gives its points back.
 *
 * Per account, the limits are tiers of growing windows: 10 failures per 15 minutes, then 20 per
 * hour, 40 per 6 hours and 100 per day. So after 10 failures each further batch waits longer,
 * no account is ever locked for good, and no one gets more than 100 guesses a day at it.
 * Per address, 30 failures per 15 minutes across all accounts stop one password being sprayed
 * over many accounts.
 */
export interface LoginLimit {
  failures: number;
  perSeconds: number;
}

export interface LoginThrottleOptions {
  /** Redis key prefix; tests give each run its own. */
  keyPrefix: string;
  /** Failures an account may have before it must wait (the first tier). */
  freeAttempts: number;
  accountLimits: readonly LoginLimit[];
  addressLimit: LoginLimit;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  keyPrefix: "rantai:login",
  freeAttempts: 10,
  accountLimits: [
    { failures: 10, perSeconds: 15 * 60 },
    { failures: 20, perSeconds: 60 * 60 },
    { failures: 40, perSeconds: 6 * 60 * 60 },
    { failures: 100, perSeconds: 24 * 60 * 60 },
  ],
  addressLimit: { failures: 30, perSeconds: 15 * 60 },
};

/** What a sign-in attempt holds until it knows whether the password was right. */
export interface LoginAttempt {
  accountKey: string;
  addressKey: string | null;
}

export interface LoginThrottle {
  readonly options: LoginThrottleOptions;
  /** Takes one point from each limit, or refuses with TOO_MANY_REQUESTS and `retryAfterSeconds`. */
  begin(input: { email: string; address: string | null }): Promise<LoginAttempt>;
  /** A right password: the account's failures are forgotten and the address gets its point back. */
  succeeded(attempt: LoginAttempt): Promise<void>;
  /** Forgets an account's failures (after an administrator reset its password). */
  clearAccount(email: string): Promise<void>;
}

// Emails are personal data; Redis needs only a stable key for them.
const accountKeyOf = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex");

interface Limiter {
  limiter: RateLimiterRedis;
  key: string;
  scope: "account" | "address";
}

export function createLoginThrottle(redis: Redis, options: LoginThrottleOptions = defaultLoginThrottle): LoginThrottle {
  const limiter = (name: string, limit: LoginLimit) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.keyPrefix}:${name}`,
      points: limit.failures,
      duration: limit.perSeconds,
    });
  const accountLimiters = options.accountLimits.map((limit, tier) => limiter(`account:${tier}`, limit));
  const addressLimiter = limiter("address", options.addressLimit);

  const limitersOf = (attempt: LoginAttempt): Limiter[] => [
    ...accountLimiters.map((each) => ({ limiter: each, key: attempt.accountKey, scope: "account" as const })),
    ...(attempt.addressKey ? [{ limiter: addressLimiter, key: attempt.addressKey, scope: "address" as const }] : []),
  ];

  return {
    options,
    async begin(input) {
      const attempt: LoginAttempt = {
        accountKey: accountKeyOf(input.email),
        addressKey: input.address ? addressBucket(input.address) : null,
      };
      const limiters = limitersOf(attempt);
      const results = await Promise.allSettled(limiters.map(({ limiter: each, key }) => each.consume(key)));
      const refused = results.flatMap((result, index) =>
        result.status === "rejected" ? [{ reason: result.reason as unknown, scope: limiters[index]?.scope }] : [],
      );
      if (refused.length === 0) return attempt;

      // A refused attempt checks no password, so it must not count as a failure: give back every
      // point it took (the increments already decided who else was over the limit).
      await Promise.all(
        limiters.map(({ limiter: each, key }, index) =>
          results[index]?.status === "fulfilled" || results[index]?.reason instanceof RateLimiterRes
            ? each.reward(key, 1)
            : undefined,
        ),
      );
      const storeError = refused.find(({ reason }) => !(reason instanceof RateLimiterRes));
      if (storeError) throw storeError.reason;
      const waitMs = Math.max(...refused.map(({ reason }) => (reason as RateLimiterRes).msBeforeNext));
      const wait = Math.max(1, Math.ceil(waitMs / 1000));
      const byAddress = refused.some(({ scope }) => scope === "address");
      throw new AppError(
        "auth.rate_limited",
        byAddress
          ? `Too many failed sign-in attempts from your network. Wait ${wait} seconds and try again.`
          : `Too many failed sign-in attempts for this account. Wait ${wait} seconds and try again, or ask your administrator to reset your password.`,
        { retryAfterSeconds: wait },
      );
    },
    async succeeded(attempt) {
      await Promise.all([
        ...accountLimiters.map((each) => each.delete(attempt.accountKey)),
        ...(attempt.addressKey ? [addressLimiter.reward(attempt.addressKey, 1)] : []),
      ]);
    },
    async clearAccount(email) {
      await Promise.all(accountLimiters.map((each) => each.delete(accountKeyOf(email))));
    },
  };
}

// One throttle per Redis client, so host processes need not create it themselves.
const throttles = new WeakMap<Redis, LoginThrottle>();

/** The throttle with the default limits on this Redis client. */
export function defaultLoginThrottleFor(redis: Redis): LoginThrottle {
  let throttle = throttles.get(redis);
  if (!throttle) {
    throttle = createLoginThrottle(redis);
    throttles.set(redis, throttle);
  }
  return throttle;
}
