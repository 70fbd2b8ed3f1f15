/** Vaccine storage range (WHO): +2 °C to +8 °C inclusive; both limits themselves are in range. */
export const storageRangeCentiC = { min: 200, max: 800 } as const;

export type TemperatureState = "ok" | "warm" | "cold" | "unknown";

export function classifyTemperature(tempCentiC: number | null): TemperatureState {
  if (tempCentiC === null) return "unknown";
  if (tempCentiC > storageRangeCentiC.max) return "warm";
  if (tempCentiC < storageRangeCentiC.min) return "cold";
  return "ok";
}

/** A sensor is silent when nothing arrived for max(60 min, 2 × its logging interval). */
export function silenceThresholdMs(expectedIntervalSeconds: number): number {
  return Math.max(60 * 60 * 1000, 2 * expectedIntervalSeconds * 1000);
}

export function isStale(lastReadingAt: Date | null, expectedIntervalSeconds: number, now: Date): boolean {
  if (!lastReadingAt) return true;
  return now.getTime() - lastReadingAt.getTime() > silenceThresholdMs(expectedIntervalSeconds);
}

export const centiToCelsius = (centi: number) => centi / 100;
