import { type AlarmNotice, alarmNoticeChannel, publishAlarmNotices } from "@rantai/core/coldchain/alarms";
import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import type { Database } from "@rantai/db";
import { Redis } from "ioredis";

export interface AlarmNoticePublisher {
  /** Call after the alarm changes committed; never throws and never holds up the flush. */
  publish(notices: readonly AlarmNotice[]): void;
  close(): Promise<void>;
}

/**
 * Tells the consoles' live alarm inboxes (over Redis pub/sub) which alarms a committed flush or
 * NO_DATA round changed. Redis being down costs only liveness: the change is in the database,
 * the failure is logged, and an inbox refetches whenever its subscription (re)starts.
 */
export function createAlarmNoticePublisher(options: {
  db: Database;
  redisUrl: string;
  databaseUrl: string;
  logger: Logger;
}): AlarmNoticePublisher {
  const { db, logger } = options;
  const channel = alarmNoticeChannel(options.databaseUrl);
  // No offline queue: while Redis is away a publish fails at once instead of piling up.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on("error", () => {}); // reported per publish below; ioredis keeps reconnecting
  const pending = new Set<Promise<void>>();
  return {
    publish(notices) {
      if (notices.length === 0) return;
      const sent = publishAlarmNotices(db, redis, channel, notices)
        .catch((error: unknown) =>
          logger.warn({ notices: notices.length, ...errorFields(error) }, "alarm_notice_publish_failed"),
        )
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
    async close() {
      await Promise.allSettled(pending);
      redis.disconnect();
    },
  };
}
