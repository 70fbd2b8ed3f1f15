import { describe, expect, it } from "vitest";
import { formatAgeIn, formatDecimalIn, formatTemperatureIn } from "./locale-format";

describe("formatTemperatureIn", () => {
  it("writes one decimal with the language's separator", () => {
    expect(formatTemperatureIn("id", 4.63)).toBe("4,6 °C");
    expect(formatTemperatureIn("en", 4.63)).toBe("4.6 °C");
    expect(formatTemperatureIn("id", -1)).toBe("-1,0 °C");
    expect(formatTemperatureIn("id", null)).toBe("—");
    expect(formatTemperatureIn("en", Number.NaN)).toBe("—");
  });
});

describe("formatDecimalIn", () => {
  it("groups thousands the Indonesian way", () => {
    expect(formatDecimalIn("id", 1234.5)).toBe("1.234,5");
    expect(formatDecimalIn("en", 1234.5)).toBe("1,234.5");
    expect(formatDecimalIn("id", 1234, 0)).toBe("1.234");
  });
});

describe("formatAgeIn", () => {
  const now = new Date("2026-11-25T10:00:00Z");
  it.each([
    ["2026-11-25T09:59:30Z", "sekarang", "now"],
    ["2026-11-25T09:57:00Z", "3 menit yang lalu", "3 minutes ago"],
    ["2026-11-25T08:00:00Z", "2 jam yang lalu", "2 hours ago"],
    ["2026-11-21T10:00:00Z", "4 hari yang lalu", "4 days ago"],
  ])("%s is %s / %s", (at, indonesian, english) => {
    expect(formatAgeIn("id", new Date(at), now)).toBe(indonesian);
    expect(formatAgeIn("en", new Date(at), now)).toBe(english);
  });
});
