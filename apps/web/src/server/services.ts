import "server-only";
import type { ApiServices } from "@rantai/api";
import { createDatabase } from "@rantai/db/client";
import { Redis } from "ioredis";
import { env } from "~/env";
// Every server path that reaches the domain comes through here: its log lines go out as "web".
import "./logger";

// One pool and one Redis client per server process; kept on globalThis so that dev-mode
// hot reloads do not open a new pool on every edit.
const globalForServices = globalThis as unknown as { rantaiServices?: ApiServices };

export function getServices(): ApiServices {
  globalForServices.rantaiServices ??= {
    db: createDatabase({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }).db,
    redis: new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 }),
    jobQueuePrefix: env.JOB_QUEUE_PREFIX,
  };
  return globalForServices.rantaiServices;
}
