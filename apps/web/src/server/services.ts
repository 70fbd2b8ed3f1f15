import "server-only";
import type { ApiServices } from "@rantai/api";
import { alarmNoticeChannel, createAlarmNoticeHub } from "@rantai/core/coldchain/alarms";
import { createPhotoService, type LocalPhotoStore } from "@rantai/core/distribution";
import { systemClock } from "@rantai/core/kernel";
import { createDatabase } from "@rantai/db/client";
import { Redis } from "ioredis";
import { env } from "~/env";
// Every server path that reaches the domain comes through here: its log lines go out as "web".
import { webLogger } from "./logger";

// One pool and one Redis client per server process; kept on globalThis so that dev-mode
// hot reloads do not open a new pool on every edit.
const globalForServices = globalThis as unknown as {
  rantaiServices?: ApiServices;
  rantaiLocalPhotos?: LocalPhotoStore | null;
};

function photoSetup() {
  // The local store's links are signed with their own secret, or one derived from AUTH_SECRET.
  return createPhotoService(env, { signingSecret: `${env.AUTH_SECRET}:photo-links`, clock: systemClock });
}

export function getServices(): ApiServices {
  if (!globalForServices.rantaiServices) {
    const photos = photoSetup();
    globalForServices.rantaiLocalPhotos = photos.localStore;
    const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
    globalForServices.rantaiServices = {
      db: createDatabase({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }).db,
      redis,
      jobQueuePrefix: env.JOB_QUEUE_PREFIX,
      mobileMinVersion: env.MOBILE_MIN_VERSION,
      photos: photos.service,
      // The live alarm inbox: notices of this database's alarms, whichever replica or ingest published them.
      alarmNotices: createAlarmNoticeHub(redis, alarmNoticeChannel(env.DATABASE_URL), webLogger),
    };
  }
  return globalForServices.rantaiServices;
}

/** The local photo store, which the console's photo route serves; null when photos are on S3. */
export function getLocalPhotoStore(): LocalPhotoStore | null {
  getServices();
  return globalForServices.rantaiLocalPhotos ?? null;
}
