import { z } from "zod";

/**
 * Early warning: from a fridge's recent readings (device time), will it leave +2…+8 °C soon, and
 * in how many minutes? Pure; ingest runs it on each flush (alarms/early-warnings.ts), the
 * benchmark over simulated fridge-days (bench/early-warning.ts).
 *
 * The trend is Sen's slope (the median of the slopes between every pair of readings) with the
 * Mann–Kendall statistic beside it (Kendall's tau: +1 when every later reading is warmer than
 * every earlier one), the usual robust pair for a monotonic trend in noisy sensor series. The
 * median ignores a minority of wild readings, and tau tells a steady climb (a power cut, a door
 * left ajar: tau near 1) from a door opening, whose spike rises and then decays (tau near 0).
 * Readings are first reduced to the medians of short buckets, which removes single spikes and
 * bounds the pairwise work however often a device reports.
 *
 * The breach time is the fitted line carried forward from its level at the latest reading (the
 * slope of the window's newer half when that is steeper: a fault that began within the window).
 * A fridge without power warms towards room temperature ever more slowly (an exponential
 * approach), so once the line follows the climb it reaches the limit first: the minutes left
 * lean short and the warning, if anything, early.
 */

export const ZEarlyWarningConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Readings of this many minutes before the latest one make the trend. */
  windowMinutes: z.number().int().min(10).max(180).default(40),
  /**
   * Fewer readings than this (after bucketing), or a shorter span, give no trend. Eight in the
   * 40-minute window means a sensor logging at least every 5 minutes: at 10-minute logging the
   * few readings cannot tell door openings from a fault (bench:early-warning -- --interval 600
   * gave over one false warning per fridge-day with 4), so such sensors get no early warning.
   */
  minReadings: z.number().int().min(3).max(60).default(8),
  minSpanMinutes: z.number().int().min(5).max(180).default(20),
  /** Readings are reduced to the medians of buckets this long. */
  bucketMinutes: z.number().min(0.5).max(30).default(1),
  /** A warning opens when the limit is this close: at most this many minutes ahead… */
  horizonMinutes: z.number().int().min(10).max(600).default(90),
  /** …and at least this many (less is no warning, the breach itself is shown at once). */
  minLeadMinutes: z.number().int().min(0).max(60).default(5),
  /** The fitted level must be this close to the limit (hundredths of °C); farther, nothing opens. */
  watchMarginUpperCentiC: z.number().int().min(50).max(600).default(250),
  watchMarginLowerCentiC: z.number().int().min(50).max(600).default(150),
  /** Slower than this (hundredths of °C per hour) is no trend. */
  minRateCentiCPerHour: z.number().int().min(10).max(2000).default(100),
  /** Kendall's tau the window must reach for a warning to open. */
  minTau: z.number().min(0).max(1).default(0.75),
  /**
   * The median step between consecutive readings must carry at least this share of the trend: a
   * fault climbs a little at every reading, door openings climb a staircase (a few steep steps,
   * the rest flat or falling back), whose median step is about nothing.
   */
  minStepShare: z.number().min(0).max(1).default(0.6),
  /**
   * Hysteresis: an open warning stays while its trend keeps this share of the opening rate and
   * tau, its breach stays within this multiple of the horizon, and its level stays within the
   * watch margin widened by `clearMarginCentiC`.
   */
  keepShare: z.number().min(0.1).max(1).default(0.5),
  keepHorizonFactor: z.number().min(1).max(5).default(2),
  clearMarginCentiC: z.number().int().min(0).max(300).default(50),
});
export type TEarlyWarningConfig = z.infer<typeof ZEarlyWarningConfigSchema>;

export const defaultEarlyWarningConfig: TEarlyWarningConfig = ZEarlyWarningConfigSchema.parse({});

/** The storage range the warning watches (hundredths of °C; both limits themselves in range). */
export interface StorageLimits {
  upperCentiC: number;
  lowerCentiC: number;
}

export interface TrendReading {
  /** Device time, epoch ms. */
  ts: number;
  tempCentiC: number;
}

export interface Trend {
  /** The latest reading's device time and value. */
  latestTs: number;
  latestCentiC: number;
  /** The forecast line's value at the latest reading. */
  levelCentiC: number;
  /** Sen's slope over the window. */
  ratePerHourCentiC: number;
  /** The forecast line's slope: Sen's slope of the window's newer half when steeper the same way. */
  lineRatePerHourCentiC: number;
  /** Kendall's tau over the bucketed window, −1…+1. */
  tau: number;
  /** The median of the rates between consecutive (bucketed) readings. */
  stepRatePerHourCentiC: number;
  points: number;
}

export type WarningLimit = "upper" | "lower";

export interface WarningForecast {
  limit: WarningLimit;
  /** The limit that will be crossed, hundredths of °C. */
  limitCentiC: number;
  minutesLeft: number;
  /** Device time of the predicted breach, epoch ms. */
  breachAt: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The window's readings as bucket medians (time and value), oldest first. */
export function bucketReadings(readings: readonly TrendReading[], bucketMs: number): TrendReading[] {
  const buckets = new Map<number, { ts: number[]; values: number[] }>();
  for (const reading of readings) {
    const key = Math.floor(reading.ts / bucketMs);
    const bucket = buckets.get(key) ?? { ts: [], values: [] };
    bucket.ts.push(reading.ts);
    bucket.values.push(reading.tempCentiC);
    buckets.set(key, bucket);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, bucket]) => ({ ts: median(bucket.ts), tempCentiC: median(bucket.values) }));
}

/**
 * The trend of the readings in the window ending at the latest one, or null when they are too
 * few or span too short a time. Input in any order; duplicates of a device time count once.
 */
export function estimateTrend(readings: readonly TrendReading[], config: TEarlyWarningConfig): Trend | null {
  if (readings.length === 0) return null;
  const latest = readings.reduce((a, b) => (b.ts > a.ts ? b : a));
  const from = latest.ts - config.windowMinutes * MINUTE_MS;
  const unique = new Map<number, TrendReading>();
  for (const reading of readings) if (reading.ts >= from && !unique.has(reading.ts)) unique.set(reading.ts, reading);
  const points = bucketReadings([...unique.values()], config.bucketMinutes * MINUTE_MS);
  const first = points[0];
  if (!first || points.length < config.minReadings) return null;
  if (latest.ts - first.ts < config.minSpanMinutes * MINUTE_MS) return null;

  const half = latest.ts - (latest.ts - first.ts) / 2;
  const slopes: number[] = [];
  const recentSlopes: number[] = [];
  const steps: number[] = [];
  let concordance = 0;
  for (let i = 0; i < points.length; i += 1) {
    const a = points[i];
    if (!a) continue;
    for (let j = i + 1; j < points.length; j += 1) {
      const b = points[j];
      if (!b || b.ts === a.ts) continue;
      const slope = (b.tempCentiC - a.tempCentiC) / (b.ts - a.ts);
      slopes.push(slope);
      if (a.ts >= half) recentSlopes.push(slope);
      if (j === i + 1) steps.push(slope);
      concordance += Math.sign(b.tempCentiC - a.tempCentiC);
    }
  }
  if (slopes.length === 0) return null;
  const slopePerMs = median(slopes);
  // Just after a fault starts, the window's older half is still flat and halves the slope; the
  // newer half alone then shows the climb. The steeper of the two in the trend's direction wins.
  const recentPerMs = recentSlopes.length >= 3 ? median(recentSlopes) : slopePerMs;
  const linePerMs =
    Math.sign(recentPerMs) === Math.sign(slopePerMs) && Math.abs(recentPerMs) > Math.abs(slopePerMs)
      ? recentPerMs
      : slopePerMs;
  const fitted = linePerMs === slopePerMs ? points : points.filter((point) => point.ts >= half);
  const level = median(fitted.map((point) => point.tempCentiC - linePerMs * (point.ts - latest.ts)));
  return {
    latestTs: latest.ts,
    latestCentiC: latest.tempCentiC,
    levelCentiC: level,
    ratePerHourCentiC: slopePerMs * HOUR_MS,
    lineRatePerHourCentiC: linePerMs * HOUR_MS,
    tau: concordance / slopes.length,
    stepRatePerHourCentiC: median(steps) * HOUR_MS,
    points: points.length,
  };
}

/** Where the trend's line leaves the range, if it is heading out at all. */
export function forecastBreach(trend: Trend, limits: StorageLimits): WarningForecast | null {
  const rate = trend.lineRatePerHourCentiC;
  if (rate === 0) return null;
  const limit: WarningLimit = rate > 0 ? "upper" : "lower";
  const limitCentiC = limit === "upper" ? limits.upperCentiC : limits.lowerCentiC;
  const minutesLeft = Math.max(0, ((limitCentiC - trend.levelCentiC) / rate) * 60);
  return { limit, limitCentiC, minutesLeft, breachAt: trend.latestTs + minutesLeft * MINUTE_MS };
}

/** Whether a reading has left the range on the warned side. */
export function hasBreached(tempCentiC: number, limit: WarningLimit, limits: StorageLimits): boolean {
  return limit === "upper" ? tempCentiC > limits.upperCentiC : tempCentiC < limits.lowerCentiC;
}

/**
 * The gate ingest applies before reading a window: a fridge whose latest reading lies this far
 * inside both limits (the watch margins widened by the clear margin) has no warning open and none
 * to open, so its readings need not be read.
 */
export function isInQuietBand(tempCentiC: number, limits: StorageLimits, config: TEarlyWarningConfig): boolean {
  const slack = config.clearMarginCentiC;
  return (
    tempCentiC < limits.upperCentiC - config.watchMarginUpperCentiC - slack &&
    tempCentiC > limits.lowerCentiC + config.watchMarginLowerCentiC + slack
  );
}

/**
 * Whether a flush must evaluate a fridge: its newest reading or the one before it lies outside
 * the quiet band. An open warning always keeps its latest reading outside it (see the keep rule
 * below), so the flush after it is always evaluated and can end it.
 */
export function needsEarlyWarningEvaluation(
  latestCentiC: number,
  priorCentiC: number | null,
  limits: StorageLimits,
  config: TEarlyWarningConfig,
): boolean {
  return (
    !isInQuietBand(latestCentiC, limits, config) ||
    (priorCentiC !== null && !isInQuietBand(priorCentiC, limits, config))
  );
}

function withinWatch(
  centi: number,
  limit: WarningLimit,
  limits: StorageLimits,
  config: TEarlyWarningConfig,
  slack = 0,
) {
  return limit === "upper"
    ? centi >= limits.upperCentiC - config.watchMarginUpperCentiC - slack
    : centi <= limits.lowerCentiC + config.watchMarginLowerCentiC + slack;
}

export type EarlyWarningDecision =
  | { action: "none" }
  | { action: "open"; forecast: WarningForecast }
  | { action: "keep"; forecast: WarningForecast }
  | { action: "end"; reason: "breached" | "cleared" };

/**
 * What to do with a fridge's warning given its trend now: open one (a steady trend, a breach
 * within the horizon but not too close, the level within the watch margin, the latest reading
 * still in range), keep an open one (looser limits, so a warning does not flap), or end it
 * (the range was left on its side: breached; the trend stopped or turned: cleared).
 */
export function decideEarlyWarning(
  trend: Trend | null,
  open: { limit: WarningLimit } | null,
  limits: StorageLimits,
  config: TEarlyWarningConfig,
): EarlyWarningDecision {
  if (open && trend && hasBreached(trend.latestCentiC, open.limit, limits))
    return { action: "end", reason: "breached" };
  const forecast = trend && forecastBreach(trend, limits);
  if (open) {
    const share = config.keepShare;
    const direction = open.limit === "upper" ? 1 : -1;
    const keeps =
      trend &&
      forecast &&
      forecast.limit === open.limit &&
      trend.ratePerHourCentiC * direction >= config.minRateCentiCPerHour * share &&
      trend.tau * direction >= config.minTau * share &&
      forecast.minutesLeft <= config.horizonMinutes * config.keepHorizonFactor &&
      withinWatch(trend.levelCentiC, open.limit, limits, config, config.clearMarginCentiC) &&
      withinWatch(trend.latestCentiC, open.limit, limits, config, config.clearMarginCentiC);
    return keeps ? { action: "keep", forecast } : { action: "end", reason: "cleared" };
  }
  if (!trend || !forecast) return { action: "none" };
  const direction = forecast.limit === "upper" ? 1 : -1;
  const opens =
    !hasBreached(trend.latestCentiC, "upper", limits) &&
    !hasBreached(trend.latestCentiC, "lower", limits) &&
    trend.ratePerHourCentiC * direction >= config.minRateCentiCPerHour &&
    trend.tau * direction >= config.minTau &&
    trend.stepRatePerHourCentiC * direction >= trend.ratePerHourCentiC * direction * config.minStepShare &&
    forecast.minutesLeft <= config.horizonMinutes &&
    forecast.minutesLeft >= config.minLeadMinutes &&
    withinWatch(trend.levelCentiC, forecast.limit, limits, config) &&
    withinWatch(trend.latestCentiC, forecast.limit, limits, config);
  return opens ? { action: "open", forecast } : { action: "none" };
}
