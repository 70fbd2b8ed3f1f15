import { readTestServices } from "@rantai/db/testing";
import { Redis } from "ioredis";

/** A client of the tests' Redis server (TEST_REDIS_URL); the caller disconnects it. */
export function connectTestRedis(): Redis {
  return new Redis(readTestServices(process.env).redisUrl, { maxRetriesPerRequest: 2 });
}
