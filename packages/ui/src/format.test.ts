import { describe, expect, it } from "vitest";
import { formatAge, formatTemperature } from "./format";

describe("formatTemperature", () => {
  it("shows one decimal and the unit", () => {
    expect(formatTemperature(4.63)).toBe("4.6 °C");
    expect(formatTemperature(-0.5)).toBe("-0.5 °C");
    expect(formatTemperature(null)).toBe("—");
    expect(formatTemperature(Number.NaN)).toBe("—");
  });
});

describe("formatAge", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  it.each([
    ["2026-11-25T09:59:30Z", "just now"],
    ["2026-11-25T09:57:00Z", "3 min ago"],
    ["2026-11-25T08:00:00Z", "2 h ago"],
    ["2026-11-21T10:00:00Z", "4 days ago"],
  ])("%s is %s", (at, expected) => {
    expect(formatAge(new Date(at), now)).toBe(expected);
  });
  it("says when there is no reading", () => {
    expect(formatAge(null, now)).toBe("no reading yet");
  });
});
