/**
 * Whether a fridge is warming, cooling or holding, from its latest reading and the one the pull
 * sent from half an hour before it. Half a degree is above a sensor's noise and below what a
 * door left open does in that time.
 */
export const TREND_STEP_C = 0.5;

export type Trend = "rising" | "falling" | "steady" | "unknown";

interface Reading {
  tempC: number;
}

export function trendOf(latest: Reading | null, earlier: Reading | null): Trend {
  if (!latest || !earlier) return "unknown";
  const change = latest.tempC - earlier.tempC;
  if (change >= TREND_STEP_C) return "rising";
  if (change <= -TREND_STEP_C) return "falling";
  return "steady";
}
