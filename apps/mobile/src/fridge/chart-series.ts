import type { RouterOutputs } from "@rantai/api";

type TemperatureSeries = RouterOutputs["coldchain"]["temperatureSeries"];

/** The windows the phone offers, each ending now. */
export const chartRanges = ["24h", "7d"] as const;
export type ChartRange = (typeof chartRanges)[number];
export const rangeMs: Record<ChartRange, number> = { "24h": 24 * 3_600_000, "7d": 7 * 86_400_000 };

/**
 * Raw readings a phone chart asks for at most: a sensor logging every 5 minutes fits a day of
 * them; a denser one is drawn from the hourly min–avg–max the server keeps (its own fallback).
 */
export const PHONE_MAX_RAW_POINTS = 300;

/** A series as the chart draws it and the phone stores it: times in epoch ms, temperatures in °C. */
export interface ChartSeries {
  from: number;
  to: number;
  resolution: TemperatureSeries["resolution"];
  timeZone: string;
  timeZoneAbbreviation: string;
  times: number[];
  avgC: number[];
  minC: number[] | null;
  maxC: number[] | null;
  band: { minC: number; maxC: number };
}

export function toChartSeries(series: TemperatureSeries): ChartSeries {
  return {
    from: new Date(series.from).getTime(),
    to: new Date(series.to).getTime(),
    resolution: series.resolution,
    timeZone: series.timeZone,
    timeZoneAbbreviation: series.timeZoneAbbreviation,
    times: series.times,
    avgC: series.avgC,
    minC: series.minC,
    maxC: series.maxC,
    band: series.band,
  };
}

const HOUR_MS = 3_600_000;
/** How long one point stands for: a rollup its bucket; a raw reading until the next, up to an hour (a gap is not counted). */
const bucketMs: Record<ChartSeries["resolution"], number> = { raw: HOUR_MS, hourly: HOUR_MS, daily: 24 * HOUR_MS };

export interface Extreme {
  tempC: number;
  at: number;
}

/** The lowest and highest temperature of the window (the rollups' own min and max when drawn from them). */
export function seriesExtremes(series: ChartSeries): { min: Extreme; max: Extreme } | null {
  if (series.times.length === 0) return null;
  const lows = series.minC ?? series.avgC;
  const highs = series.maxC ?? series.avgC;
  let min: Extreme | null = null;
  let max: Extreme | null = null;
  series.times.forEach((at, index) => {
    const low = lows[index];
    const high = highs[index];
    if (low !== undefined && (min === null || low < min.tempC)) min = { tempC: low, at };
    if (high !== undefined && (max === null || high > max.tempC)) max = { tempC: high, at };
  });
  return min && max ? { min, max } : null;
}

/** How long a point stands for: to the next reading (raw, capped) or its bucket (rollups). */
function spanOf(series: ChartSeries, index: number): number {
  const at = series.times[index] ?? 0;
  if (series.resolution !== "raw") return Math.min(bucketMs[series.resolution], series.to - at);
  const next = series.times[index + 1];
  return next === undefined ? 0 : Math.min(next - at, bucketMs.raw);
}

/**
 * About how long the fridge was outside the storage band in the window: the time of the points
 * whose temperature (the average, for rollups) lay outside it. The band's limits are in range.
 */
export function timeOutOfRangeMs(series: ChartSeries): number {
  let total = 0;
  series.avgC.forEach((tempC, index) => {
    if (tempC < series.band.minC || tempC > series.band.maxC) total += spanOf(series, index);
  });
  return total;
}

/** Points further apart than this are not joined: the sensor was silent in between. */
export function gapMs(series: ChartSeries): number {
  return 2 * bucketMs[series.resolution];
}
