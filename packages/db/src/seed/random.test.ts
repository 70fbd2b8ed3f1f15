import { describe, expect, it } from "vitest";
import { chunk, mapWithConcurrency } from "./concurrency";
import { createRandom, hashString, mulberry32 } from "./random";

describe("hashString", () => {
  it("is 32-bit FNV-1a", () => {
    expect(hashString("")).toBe(0x811c9dc5);
    expect(hashString("a")).toBe(0xe40c292c);
    expect(hashString("foobar")).toBe(0xbf9cf968);
  });
});

describe("mulberry32", () => {
  it("repeats the same sequence for the same seed and stays in [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    // Roughly uniform: the mean of 1000 draws is near one half.
    expect(first.reduce((sum, value) => sum + value, 0) / first.length).toBeCloseTo(0.5, 1);
  });

  it("gives different sequences for different seeds", () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe("createRandom", () => {
  it("is keyed by a string and deterministic", () => {
    const draw = (key: string) => {
      const random = createRandom(key);
      return [random.next(), random.between(2, 8), random.int(1, 6), random.chance(0.5), random.pick(["a", "b", "c"])];
    };
    expect(draw("P340401:BCG")).toEqual(draw("P340401:BCG"));
    expect(draw("P340401:BCG")).not.toEqual(draw("P340402:BCG"));
  });

  it("keeps int() inside its inclusive bounds and reaches both ends", () => {
    const random = createRandom("bounds");
    const values = new Set(Array.from({ length: 500 }, () => random.int(1, 4)));
    expect([...values].sort()).toEqual([1, 2, 3, 4]);
  });

  it("refuses to pick from nothing", () => {
    expect(() => createRandom("empty").pick([])).toThrow();
  });
});

describe("mapWithConcurrency", () => {
  it("keeps input order and never runs more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const result = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return value * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it("splits rows into chunks", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
