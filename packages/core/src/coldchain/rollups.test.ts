import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateBuckets, DAY_MS, HOUR_MS, splitByPrior, touchedBuckets } from "./rollups";

const T0 = Date.UTC(2025, 0, 31, 22, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

describe("touchedBuckets", () => {
  it("merges neighbouring hours per sensor and keeps gaps apart", () => {
    const rows = [
      { sensorId: 2, ts: at(5) },
      { sensorId: 1, ts: at(0) },
      { sensorId: 1, ts: at(61) },
      { sensorId: 1, ts: at(59) },
      { sensorId: 1, ts: at(300) },
    ];
    expect(touchedBuckets(rows, HOUR_MS)).toEqual([
      { sensorId: 1, from: at(0), to: at(120) },
      { sensorId: 1, from: at(300), to: at(360) },
      { sensorId: 2, from: at(0), to: at(60) },
    ]);
  });

  it("uses UTC days for daily buckets", () => {
    expect(touchedBuckets([{ sensorId: 1, ts: at(150) }], DAY_MS)).toEqual([
      { sensorId: 1, from: new Date(Date.UTC(2025, 1, 1)), to: new Date(Date.UTC(2025, 1, 2)) },
    ]);
  });
});

describe("aggregateBuckets", () => {
  it("computes min, max, sum and count per sensor and hour", () => {
    const rows = [
      { sensorId: 1, ts: at(1), tempCentiC: 450 },
      { sensorId: 1, ts: at(2), tempCentiC: -20 },
      { sensorId: 1, ts: at(70), tempCentiC: 800 },
    ];
    expect(aggregateBuckets(rows, HOUR_MS)).toEqual([
      { sensorId: 1, bucketStart: at(0), min: -20, max: 450, sum: 430, count: 2 },
      { sensorId: 1, bucketStart: at(60), min: 800, max: 800, sum: 800, count: 1 },
    ]);
  });

  it("adding the buckets of two parts equals the buckets of the whole (what the upsert relies on)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.nat(600), tempCentiC: fc.integer({ min: -9000, max: 7000 }) })),
        fc.nat(),
        (list, cut) => {
          const rows = list.map(({ minute, tempCentiC }) => ({ sensorId: 1, ts: at(minute), tempCentiC }));
          const at_ = list.length ? cut % list.length : 0;
          const merged = new Map<number, { min: number; max: number; sum: number; count: number }>();
          for (const part of [rows.slice(0, at_), rows.slice(at_)]) {
            for (const bucket of aggregateBuckets(part, HOUR_MS)) {
              const key = bucket.bucketStart.getTime();
              const seen = merged.get(key);
              merged.set(
                key,
                seen
                  ? {
                      min: Math.min(seen.min, bucket.min),
                      max: Math.max(seen.max, bucket.max),
                      sum: seen.sum + bucket.sum,
                      count: seen.count + bucket.count,
                    }
                  : { min: bucket.min, max: bucket.max, sum: bucket.sum, count: bucket.count },
              );
            }
          }
          const whole = aggregateBuckets(rows, HOUR_MS).map(({ bucketStart, min, max, sum, count }) => [
            bucketStart.getTime(),
            { min, max, sum, count },
          ]);
          expect([...merged].sort((a, b) => a[0] - b[0])).toEqual(whole);
        },
      ),
    );
  });
});

describe("splitByPrior", () => {
  it("counts readings after the previous latest once each, and leaves the rest to recomputation", () => {
    const rows = [
      { sensorId: 1, ts: at(10), tempCentiC: 400 },
      { sensorId: 1, ts: at(10), tempCentiC: 999 }, // same ts twice in a flush: the first is stored
      { sensorId: 1, ts: at(5), tempCentiC: 400 }, // at or before the previous latest
      { sensorId: 2, ts: at(1), tempCentiC: 400 }, // a sensor with no reading yet
    ];
    const prior = (sensorId: number) => (sensorId === 1 ? at(5) : null);
    expect(splitByPrior(rows, prior)).toEqual({
      fresh: [rows[0], rows[3]],
      maybeStored: [rows[2]],
    });
  });
});
