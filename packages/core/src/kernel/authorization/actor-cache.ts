import { roles } from "@rantai/db";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Actor } from "../context";
import { contextLogger, errorFields } from "../logger";

/**
 * The signed-in user behind each request (their role, org unit and session version: all that
 * authorization needs), kept in Redis so that a request does not re-read the users table.
 *
 * Every change to a user's role, org unit, active flag or session version calls `forget` after
 * its commit, so the next request reads the database again: a disabled user is refused on the
 * very next request. A lookup that raced with a change cannot write the old state back: each
 * user has a generation counter that `forget` raises, an entry is written under the generation
 * read before the database was, and an entry of an older generation is never served. The TTL
 * is a safety net for changes made behind the application's back.
 *
 * When Redis fails, lookups read the database (nobody is locked out, nobody disabled let in).
 */
export interface ActorCacheOptions {
  /** Redis key prefix; tests give each run its own (user ids repeat across test databases). */
  keyPrefix: string;
  ttlSeconds: number;
}

export const defaultActorCache: ActorCacheOptions = { keyPrefix: "rantai:actor", ttlSeconds: 60 };

/** How long a generation counter outlives its last change: far longer than any entry's TTL. */
const generationTtlSeconds = 24 * 3600;

const ZCachedActorSchema = z.strictObject({
  generation: z.string(),
  actor: z.strictObject({
    userId: z.number().int().positive(),
    name: z.string(),
    email: z.string(),
    role: z.enum(roles),
    locale: z.enum(["id", "en"]),
    orgUnitId: z.number().int().positive(),
    orgUnitName: z.string(),
    orgUnitPath: z.string().min(1),
    sessionVersion: z.number().int().nonnegative(),
  }),
});

export interface ActorCache {
  readonly options: ActorCacheOptions;
  /** The user's actor from the cache, or from `load` (the database) when absent, stale or unreadable. */
  find(userId: number, load: () => Promise<Actor | null>): Promise<Actor | null>;
  /** Drops what is cached about a user; call after the commit of any change to them. */
  forget(userId: number): Promise<void>;
}

export function createActorCache(redis: Redis, options: ActorCacheOptions = defaultActorCache): ActorCache {
  const entryKey = (userId: number) => `${options.keyPrefix}:${userId}`;
  const generationKey = (userId: number) => `${options.keyPrefix}:${userId}:generation`;

  async function readCached(userId: number): Promise<{ generation: string; actor: Actor | null }> {
    const [raw, generation] = await redis.mget(entryKey(userId), generationKey(userId));
    const current = generation ?? "0";
    if (raw === null || raw === undefined) return { generation: current, actor: null };
    const parsed = ZCachedActorSchema.safeParse(JSON.parse(raw));
    const fresh = parsed.success && parsed.data.generation === current && parsed.data.actor.userId === userId;
    return { generation: current, actor: fresh ? parsed.data.actor : null };
  }

  return {
    options,
    async find(userId, load) {
      let generation: string;
      try {
        const cached = await readCached(userId);
        if (cached.actor) return cached.actor;
        generation = cached.generation;
      } catch (error) {
        contextLogger({ actorId: userId }).warn(errorFields(error), "actor_cache_unavailable");
        return load();
      }
      const actor = await load();
      // Only active users are kept: a refused one is read again each time, so enabling them
      // needs nothing but the database.
      if (actor) {
        try {
          await redis.set(entryKey(userId), JSON.stringify({ generation, actor }), "EX", options.ttlSeconds);
        } catch (error) {
          contextLogger({ actorId: userId }).warn(errorFields(error), "actor_cache_unavailable");
        }
      }
      return actor;
    },
    async forget(userId) {
      try {
        await redis
          .multi()
          .incr(generationKey(userId))
          .expire(generationKey(userId), generationTtlSeconds)
          .del(entryKey(userId))
          .exec();
      } catch (error) {
        // The change is committed and cannot be undone here; the entry's TTL bounds how long
        // the old state may still be served.
        contextLogger({ actorId: userId }).error(errorFields(error), "actor_cache_forget_failed");
      }
    },
  };
}

/** What a host hands to the functions that read or change users: Redis, and optionally its own cache. */
export interface ActorCacheHost {
  redis: Redis;
  actorCache?: ActorCache | undefined;
}

/** The host's own cache, or the standard one on its Redis (it holds no state but the client). */
export function actorCacheOf(host: ActorCacheHost): ActorCache {
  return host.actorCache ?? createActorCache(host.redis);
}
