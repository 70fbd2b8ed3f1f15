import { describe, expect, it } from "vitest";
import { MemoryStore } from "../sync/storage";
import type { ChartSeries } from "./chart-series";
import { MAX_STORED_SERIES, SeriesStore } from "./series-store";

const series = (from: number): ChartSeries => ({
  from,
  to: from + 86_400_000,
  resolution: "raw",
  timeZone: "Asia/Jakarta",
  timeZoneAbbreviation: "WIB",
  times: [from],
  avgC: [5],
  minC: null,
  maxC: null,
  band: { minC: 2, maxC: 8 },
});

describe("the stored series", () => {
  it("keeps the last series per fridge and range across a restart, the newest when the bound is reached", async () => {
    const device = new MemoryStore();
    const store = new SeriesStore(device);
    expect(await store.read(1, "24h")).toBeNull();
    await store.write(1, "24h", { fetchedAt: 10, series: series(1) });
    await store.write(1, "7d", { fetchedAt: 11, series: series(2) });
    await store.write(1, "24h", { fetchedAt: 12, series: series(3) });
    const reopened = new SeriesStore(device);
    expect(await reopened.read(1, "24h")).toEqual({ fetchedAt: 12, series: series(3) });
    expect((await reopened.read(1, "7d"))?.fetchedAt).toBe(11);

    for (let fridge = 2; fridge <= MAX_STORED_SERIES + 1; fridge++) {
      await reopened.write(fridge, "24h", { fetchedAt: 100 + fridge, series: series(fridge) });
    }
    expect(await reopened.read(1, "7d")).toBeNull();
    expect(await reopened.read(1, "24h")).toBeNull();
    expect(await reopened.read(2, "24h")).not.toBeNull();
    await reopened.clear();
    expect(await reopened.read(2, "24h")).toBeNull();
  });
});
