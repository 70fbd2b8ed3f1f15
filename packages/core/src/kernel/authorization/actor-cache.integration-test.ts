import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "../context";
import { type ActorCache, createActorCache, defaultActorCache } from "./actor-cache";
import { connectTestRedis, connectUnreachableRedis } from "./testing";

const redis = connectTestRedis();
afterAll(() => redis.disconnect());

const cacheOfThisRun = (): ActorCache =>
  createActorCache(redis, { ...defaultActorCache, keyPrefix: `rantai-test:actor-cache:${randomUUID()}` });

const actorNamed = (name: string): Actor => ({
  userId: 42,
  name,
  email: "bidan@test.rantai.id",
  role: "facility_staff",
  locale: "id",
  orgUnitId: 7,
  orgUnitName: "Puskesmas Depok I",
  orgUnitPath: "/1/2/3/7/",
  sessionVersion: 3,
});

/** A database stand-in that counts reads and answers with whatever the row says now. */
function usersRow(initial: Actor | null) {
  let row = initial;
  let reads = 0;
  return {
    set: (next: Actor | null) => {
      row = next;
    },
    reads: () => reads,
    load: async () => {
      reads += 1;
      return row;
    },
  };
}

describe("actor cache", () => {
  it("reads the database once, then serves the actor from Redis until it is forgotten", async () => {
    const cache = cacheOfThisRun();
    const row = usersRow(actorNamed("Bidan Sari"));
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari"));
    row.set(actorNamed("Bidan Sari Wulandari"));
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari"));
    expect(row.reads()).toBe(1);

    await cache.forget(42);
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari Wulandari"));
    expect(row.reads()).toBe(2);
  });

  it("never keeps a refused (inactive) user, so enabling them needs nothing but the database", async () => {
    const cache = cacheOfThisRun();
    const row = usersRow(null);
    expect(await cache.find(42, row.load)).toBeNull();
    row.set(actorNamed("Bidan Sari"));
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari"));
  });

  it("does not write back the state a lookup read before a change that committed meanwhile", async () => {
    const cache = cacheOfThisRun();
    const row = usersRow(actorNamed("before"));
    // The lookup reads the old row; the change commits and clears the cache before the lookup
    // writes its entry. That entry belongs to the old generation and must never be served.
    const racing = cache.find(42, async () => {
      const old = await row.load();
      row.set(actorNamed("after"));
      await cache.forget(42);
      return old;
    });
    expect((await racing)?.name).toBe("before");
    expect((await cache.find(42, row.load))?.name).toBe("after");
  });

  it("reads the database when Redis cannot be reached, and forgetting does not throw", async () => {
    const unreachable = connectUnreachableRedis();
    const cache = createActorCache(unreachable);
    const row = usersRow(actorNamed("Bidan Sari"));
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari"));
    row.set(null);
    expect(await cache.find(42, row.load)).toBeNull();
    await expect(cache.forget(42)).resolves.toBeUndefined();
    unreachable.disconnect();
  });

  it("ignores an entry that does not have the expected shape", async () => {
    const cache = cacheOfThisRun();
    await redis.set(`${cache.options.keyPrefix}:42`, JSON.stringify({ generation: "0", actor: { userId: 42 } }));
    const row = usersRow(actorNamed("Bidan Sari"));
    expect(await cache.find(42, row.load)).toEqual(actorNamed("Bidan Sari"));
    expect(row.reads()).toBe(1);
  });
});
