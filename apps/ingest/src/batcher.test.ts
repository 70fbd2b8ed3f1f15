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
