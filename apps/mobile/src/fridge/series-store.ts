import { type KeyValueStore, readJson, writeJson } from "../sync/storage";
import type { ChartRange, ChartSeries } from "./chart-series";

const SERIES_KEY = "rantai.fridge.series";
/** Series kept at most: a facility's few fridges, each in both ranges. */
export const MAX_STORED_SERIES = 24;

/** The last series fetched for a fridge and range, and when (device time), for the chart offline. */
export interface StoredSeries {
  fetchedAt: number;
  series: ChartSeries;
}

type StoredSeriesMap = Record<string, StoredSeries>;

const keyOf = (fridgeId: number, range: ChartRange) => `${fridgeId}:${range}`;

/**
 * The last temperature series of each fridge, kept on the device in the signed-in user's store
 * (one value: a write replaces it whole), so the chart opens offline with its age shown.
 */
export class SeriesStore {
  constructor(private readonly store: KeyValueStore) {}

  async read(fridgeId: number, range: ChartRange): Promise<StoredSeries | null> {
    const all = await readJson<StoredSeriesMap>(this.store, SERIES_KEY, {});
    return all[keyOf(fridgeId, range)] ?? null;
  }

  /** Keeps this series, dropping the oldest beyond the bound. */
  async write(fridgeId: number, range: ChartRange, entry: StoredSeries): Promise<void> {
    const all = await readJson<StoredSeriesMap>(this.store, SERIES_KEY, {});
    all[keyOf(fridgeId, range)] = entry;
    const kept = Object.entries(all)
      .sort(([, a], [, b]) => b.fetchedAt - a.fetchedAt)
      .slice(0, MAX_STORED_SERIES);
    await writeJson(this.store, SERIES_KEY, Object.fromEntries(kept));
  }

  async clear(): Promise<void> {
    await this.store.removeItem(SERIES_KEY);
  }
}
