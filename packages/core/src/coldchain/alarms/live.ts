import { EventEmitter, on } from "node:events";
import { type Executor, orgUnits } from "@rantai/db";
import { inArray } from "drizzle-orm";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../../kernel/logger";
import type { AlarmEvent, AlarmEventName } from "./outbox";

/**
 * The live alarm inbox: whoever commits an alarm change (ingest's flush, the NO_DATA check, an
 * acknowledgement) publishes a notice on Redis after the commit, never before, and every web
 * replica relays the notices of a user's scope to their open inbox (a tRPC subscription). A
 * notice only says "this alarm changed": the inbox refetches the list through the authorized
 * query, so nothing of an alarm travels but its id, and a notice lost while a connection was
 * down is made good by the refetch the inbox does whenever its subscription (re)starts.
 */

/** What changed: an alarm event (as in the outbox), or someone was given the alarm to see to. */
export type AlarmNoticeEvent = AlarmEventName | "assigned";

/** An alarm change as the transaction that made it reports it. */
export interface AlarmNotice {
  alarmId: number;
  facilityId: number;
  event: AlarmNoticeEvent;
}

/** What the live inbox is told of outbox events (after their transaction commits). */
export function noticesOf(events: readonly AlarmEvent[]): AlarmNotice[] {
  return events.map((event) => ({ alarmId: event.alarmId, facilityId: event.subject.facilityId, event: event.event }));
}

const alarmNoticeEvents = [
  "opened",
  "late",
  "updated",
  "resolved",
  "retracted",
  "acknowledged",
  "assigned",
] as const satisfies readonly AlarmNoticeEvent[];

const ZPublishedNoticesSchema = z.strictObject({
  notices: z
    .array(
      z.strictObject({
        alarmId: z.number().int().positive(),
        /** The facility's materialized path: each subscriber keeps the notices under its scope. */
        facilityPath: z.string().regex(/^(\/\d+)+\/$/),
        event: z.enum(alarmNoticeEvents),
      }),
    )
    .max(10_000),
});
type PublishedNotice = z.infer<typeof ZPublishedNoticesSchema>["notices"][number];

/** What a subscriber receives: the subscription is listening (refetch now), or an alarm changed. */
export type LiveAlarmMessage = { kind: "ready" } | { kind: "changed"; alarmId: number; event: AlarmNoticeEvent };

/**
 * One channel per database: pub/sub ignores Redis's numbered databases, and two deployments (or
 * test runs) sharing a Redis server must not hear each other's alarms.
 */
export function alarmNoticeChannel(databaseUrl: string): string {
  const database = new URL(databaseUrl).pathname.replace(/^\//, "") || "default";
  return `rantai:coldchain:alarm-notices:${database}`;
}

/**
 * Publishes committed alarm changes. Call after the commit; throws when Redis is unreachable
 * (the change itself is safe in the database: callers log and go on).
 */
export async function publishAlarmNotices(
  db: Executor,
  redis: Redis,
  channel: string,
  notices: readonly AlarmNotice[],
): Promise<void> {
  if (notices.length === 0) return;
  const facilityIds = [...new Set(notices.map((notice) => notice.facilityId))];
  const paths = new Map(
    (
      await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(inArray(orgUnits.id, facilityIds))
    ).map((row) => [row.id, row.path]),
  );
  const published: PublishedNotice[] = notices.flatMap((notice) => {
    const facilityPath = paths.get(notice.facilityId);
    return facilityPath === undefined ? [] : [{ alarmId: notice.alarmId, facilityPath, event: notice.event }];
  });
  if (published.length > 0) await redis.publish(channel, JSON.stringify({ notices: published }));
}

export interface AlarmNoticeFeed {
  /**
   * The notices of alarms at facilities under `scopePath`, from the moment the first message
   * (`ready`) is yielded until `signal` aborts.
   */
  watch(scopePath: string, signal: AbortSignal | undefined): AsyncGenerator<LiveAlarmMessage, void, void>;
  close(): Promise<void>;
}

/**
 * Relays a channel's notices to any number of watchers over ONE Redis connection in subscriber
 * mode (`subscriber` is used for nothing else; ioredis resubscribes after a reconnect).
 */
export function createAlarmNoticeFeed(subscriber: Redis, channel: string, logger?: Logger): AlarmNoticeFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let subscribed: Promise<unknown> | null = null;
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const result = ZPublishedNoticesSchema.safeParse(parsed);
    if (!result.success) {
      logger?.warn({ channel }, "alarm_notice_malformed");
      return;
    }
    for (const notice of result.data.notices) emitter.emit("notice", notice);
  });

  async function* watch(scopePath: string, signal: AbortSignal | undefined) {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener("abort", stop, { once: true });
    // Listening before subscribing: nothing published after `ready` can slip past.
    const notices = on(emitter, "notice", { signal: controller.signal });
    try {
      subscribed ??= subscriber.subscribe(channel).catch((error: unknown) => {
        subscribed = null;
        throw error;
      });
      await subscribed;
      yield { kind: "ready" } as const;
      for await (const [notice] of notices as AsyncIterable<[PublishedNotice]>) {
        if (notice.facilityPath.startsWith(scopePath))
          yield { kind: "changed", alarmId: notice.alarmId, event: notice.event } as const;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      signal?.removeEventListener("abort", stop);
      stop();
    }
  }

  return {
    watch,
    async close() {
      emitter.removeAllListeners();
      subscriber.disconnect();
    },
  };
}

/** Publishes committed alarm changes; never throws (a failure is logged: the change is committed). */
export type PublishAlarmNotices = (db: Executor, notices: readonly AlarmNotice[]) => Promise<void>;

/** A host process's side of the live inbox: its feed (one subscriber connection) and its publisher. */
export interface AlarmNoticeHub {
  channel: string;
  feed: AlarmNoticeFeed;
  publish: PublishAlarmNotices;
  close(): Promise<void>;
}

/** Publishes on `redis` and subscribes on a duplicate of it (a subscribing connection can do nothing else). */
export function createAlarmNoticeHub(redis: Redis, channel: string, logger?: Logger): AlarmNoticeHub {
  const subscriber = redis.duplicate();
  subscriber.on("error", (error: Error) => logger?.warn({ error: error.message }, "alarm_notice_feed_error"));
  const feed = createAlarmNoticeFeed(subscriber, channel, logger);
  return {
    channel,
    feed,
    async publish(db, notices) {
      try {
        await publishAlarmNotices(db, redis, channel, notices);
      } catch (error) {
        logger?.warn({ notices: notices.length, error: (error as Error).message }, "alarm_notice_publish_failed");
      }
    },
    close: () => feed.close(),
  };
}
