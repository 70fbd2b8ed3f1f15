import { readTestServices } from "@rantai/db/testing";
import { Redis } from "ioredis";

/** A client of the tests' Redis server (TEST_REDIS_URL); the caller disconnects it. */
export function connectTestRedis(): Redis {
  return new Redis(readTestServices(process.env).redisUrl, { maxRetriesPerRequest: 2 });
}

/**
 * A client of a Redis server that is not there (nothing listens on port 1) and fails at once:
 * for the tests of what happens while Redis is down. The caller disconnects it.
 */
export function connectUnreachableRedis(): Redis {
  const unreachable = new Redis("redis://127.0.0.1:1", {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Callers log each failure themselves; without a listener ioredis reports it as unhandled.
  unreachable.on("error", () => {});
  return unreachable;
}
