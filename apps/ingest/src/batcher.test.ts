import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Batcher, type BatchItem } from "./batcher";

interface Item extends BatchItem {
  name: string;
  settled: boolean;
}

function item(name: string, rows = 1): Item {
  const created: Item = {
    name,
    rows,
    settled: false,
    settle() {
      created.settled = true;
    },
  };
  return created;
}

function setup(options: { maxRows?: number; maxWaitMs?: number; producers?: number; failures?: number } = {}) {
  const flushed: string[][] = [];
  const errors: { attempt: number; retryInMs: number }[] = [];
  let failuresLeft = options.failures ?? 0;
  const batcher = new Batcher<Item>({
    maxRows: options.maxRows ?? 10,
    maxWaitMs: options.maxWaitMs ?? 50,
    producers: () => options.producers ?? 4,
    async flush(items) {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error("database unavailable");
      }
      flushed.push(items.map((i) => i.name));
    },
    onFlushError: (_error, attempt, retryInMs) => errors.push({ attempt, retryInMs }),
    random: () => 1,
  });
  return { batcher, flushed, errors };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Batcher", () => {
  it("settles the rest of a committed chunk when one item's settle throws, and reports it", async () => {
    const settleErrors: unknown[] = [];
    const batcher = new Batcher<Item>({
      maxRows: 10,
      maxWaitMs: 0,
      producers: () => 4,
      async flush() {},
      onFlushError: () => {},
      onSettleError: (error) => settleErrors.push(error),
    });
    const broken: Item = {
      ...item("broken"),
      settle: () => {
        throw new Error("socket gone");
      },
    };
    const after = item("after");
    batcher.add(broken);
    batcher.add(after);
    await batcher.drain();
    expect(after.settled).toBe(true);
    expect(settleErrors).toHaveLength(1);
    expect(batcher.size).toBe(0);
  });

  it("waits up to maxWaitMs for more messages, then flushes them in one go and settles them", async () => {
    const { batcher, flushed } = setup();
    const a = item("a");
    const b = item("b");
    batcher.add(a);
    await vi.advanceTimersByTimeAsync(30);
    batcher.add(b);
    expect(flushed).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    expect(flushed).toEqual([["a", "b"]]);
    expect([a.settled, b.settled]).toEqual([true, true]);
    expect(batcher.size).toBe(0);
  });

  it("flushes at once when the rows reach maxRows", async () => {
    const { batcher, flushed } = setup({ maxRows: 6 });
    batcher.add(item("small", 2));
    batcher.add(item("big", 4));
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toEqual([["small", "big"]]);
  });

  it("flushes at once when every connection is waiting on its ack (nothing more can arrive)", async () => {
    const { batcher, flushed } = setup({ producers: 2 });
    batcher.add(item("a"));
    batcher.add(item("b"));
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toEqual([["a", "b"]]);
  });

  it("splits what is pending into flushes of at most maxRows rows", async () => {
    const { batcher, flushed } = setup({ maxRows: 1000, producers: 3 });
    batcher.add(item("x", 1000));
    batcher.add(item("y", 600));
    batcher.add(item("z", 400));
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toEqual([["x"], ["y", "z"]]);
  });

  it("holds items unsettled through failures and retries with capped exponential backoff", async () => {
    const { batcher, flushed, errors } = setup({ failures: 8 });
    const a = item("a");
    batcher.add(a);
    await vi.advanceTimersByTimeAsync(50);
    expect(a.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    expect(flushed).toEqual([["a"]]);
    expect(a.settled).toBe(true);
  });

  it("picks up items that arrive during a flush right after it", async () => {
    const { batcher, flushed } = setup({ producers: 1, failures: 1 });
    batcher.add(item("first"));
    await vi.advanceTimersByTimeAsync(0); // first attempt failed, retry in 100 ms
    batcher.add(item("second"));
    await vi.advanceTimersByTimeAsync(100);
    expect(flushed).toEqual([["first"], ["second"]]);
  });

  it("drain() flushes without waiting; abort() stops retrying and never settles", async () => {
    const { batcher, flushed } = setup({ maxWaitMs: 10_000 });
    const a = item("a");
    batcher.add(a);
    await batcher.drain();
    expect(flushed).toEqual([["a"]]);

    const stuck = setup({ failures: 1_000 });
    const b = item("b");
    stuck.batcher.add(b);
    const draining = stuck.batcher.drain();
    await vi.advanceTimersByTimeAsync(1000);
    stuck.batcher.abort();
    await draining;
    expect(b.settled).toBe(false);
    stuck.batcher.add(item("ignored"));
    expect(stuck.batcher.size).toBe(0);
  });
});

describe("Batcher lanes", () => {
  /** A flush that waits until the test releases it, to see what runs at the same time. */
  function gated(lanes: number, producers = 10) {
    const started: string[][] = [];
    const releases: (() => void)[] = [];
    const batcher = new Batcher<Item & { lane: number }>({
      maxRows: 100,
      maxWaitMs: 50,
      producers: () => producers,
      lanes,
      laneOf: (entry) => entry.lane,
      flush: (items) => {
        started.push(items.map((i) => i.name));
        return new Promise<void>((resolve) => releases.push(resolve));
      },
      onFlushError: () => {},
    });
    const add = (name: string, lane: number, rows = 1) => {
      const entry = Object.assign(item(name, rows), { lane });
      batcher.add(entry);
      return entry;
    };
    return { batcher, started, releases, add };
  }

  it("flushes different lanes at the same time, each lane one flush at a time, in arrival order", async () => {
    const { started, releases, add } = gated(2);
    const a1 = add("a1", 0, 100);
    const b1 = add("b1", 1, 100);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([["a1"], ["b1"]]); // both lanes busy at once
    const a2 = add("a2", 0, 100);
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toHaveLength(2); // lane 0 waits for its running flush
    releases[0]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(a1.settled).toBe(true);
    expect(b1.settled).toBe(false);
    expect(started[2]).toEqual(["a2"]);
    releases[1]?.();
    releases[2]?.();
    await vi.advanceTimersByTimeAsync(0);
    expect([b1.settled, a2.settled]).toEqual([true, true]);
  });

  it("counts items held by other lanes' flushes: once every producer is blocked, waiting gains nothing", async () => {
    const { started, add } = gated(2, 3);
    add("a1", 0, 100);
    await vi.advanceTimersByTimeAsync(0);
    add("b1", 1);
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([["a1"]]); // 2 of 3 producers blocked: lane 1 waits for more
    add("b2", 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([["a1"], ["b1", "b2"]]);
  });

  it("drain() waits for every lane", async () => {
    const { batcher, releases, add } = gated(3);
    const items = [add("x", 0), add("y", 1), add("z", 2)];
    const drained = batcher.drain();
    await vi.advanceTimersByTimeAsync(0);
    expect(releases).toHaveLength(3);
    for (const release of releases) release();
    await drained;
    expect(items.every((entry) => entry.settled)).toBe(true);
    expect(batcher.size).toBe(0);
  });
});
