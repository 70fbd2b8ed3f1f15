import { describe, expect, it } from "vitest";
import { classifyTemperature, isStale, silenceThresholdMs } from "./temperature";

describe("classifyTemperature", () => {
  it.each([
    [null, "unknown"],
    [200, "ok"],
    [450, "ok"],
    [800, "ok"],
    [801, "warm"],
    [199, "cold"],
    [-50, "cold"],
  ] as const)("%s centi-°C is %s", (temp, state) => {
    expect(classifyTemperature(temp)).toBe(state);
  });
});

describe("isStale", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  it("waits at least 60 minutes for a fast sensor", () => {
    expect(silenceThresholdMs(300)).toBe(3_600_000);
    expect(isStale(new Date("2026-11-25T09:00:00Z"), 300, now)).toBe(false);
    expect(isStale(new Date("2026-11-25T08:59:59Z"), 300, now)).toBe(true);
  });
  it("waits twice the interval for a slow sensor", () => {
    expect(isStale(new Date("2026-11-25T08:30:00Z"), 3600, now)).toBe(false);
    expect(isStale(new Date("2026-11-25T07:59:00Z"), 3600, now)).toBe(true);
  });
  it("treats a sensor that never reported as stale", () => {
    expect(isStale(null, 300, now)).toBe(true);
  });
});
