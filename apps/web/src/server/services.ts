import "server-only";
import type { ApiServices } from "@rantai/api";
import { alarmNoticeChannel, createAlarmNoticeHub } from "@rantai/core/coldchain/alarms";
import { createDatabase } from "@rantai/db/client";
import { Redis } from "ioredis";
import { env } from "~/env";
// Every server path that reaches the domain comes through here: its log lines go out as "web".
import { webLogger } from "./logger";

// One pool and one Redis client per server process; kept on globalThis so that dev-mode
// hot reloads do not open a new pool on every edit.
const globalForServices = globalThis as unknown as { rantaiServices?: ApiServices };

export function getServices(): ApiServices {
  if (!globalForServices.rantaiServices) {
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
    globalForServices.rantaiServices = {
      db: createDatabase({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }).db,
      redis,
      jobQueuePrefix: env.JOB_QUEUE_PREFIX,
      mobileMinVersion: env.MOBILE_MIN_VERSION,
      // The live alarm inbox: notices of this database's alarms, whichever replica or ingest published them.
      alarmNotices: createAlarmNoticeHub(redis, alarmNoticeChannel(env.DATABASE_URL), webLogger),
    };
  }
  return globalForServices.rantaiServices;
}
