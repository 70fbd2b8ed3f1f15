import { describe, expect, it } from "vitest";
import { formatAgeIn, formatClockTimeIn, formatDecimalIn, formatTemperatureIn } from "./locale-format";

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

describe("formatClockTimeIn", () => {
  const midnightUtc = new Date("2026-12-01T00:00:00Z");
  it("shows a moment on the facility's clock, zone named, whatever the reader's own zone", () => {
    const makassar = { timeZone: "Asia/Makassar", timeZoneAbbreviation: "WITA" };
    expect(formatClockTimeIn("id", midnightUtc, makassar)).toBe("1 Des 2026, 08.00 WITA");
    // CLDR puts a narrow no-break space before AM.
    expect(formatClockTimeIn("en", midnightUtc, makassar)).toMatch(/^Dec 1, 2026, 8:00\sAM WITA$/);
    expect(formatClockTimeIn("id", midnightUtc, { timeZone: "Asia/Jakarta", timeZoneAbbreviation: "WIB" })).toBe(
      "1 Des 2026, 07.00 WIB",
    );
    expect(formatClockTimeIn("id", midnightUtc, { timeZone: "Asia/Jayapura", timeZoneAbbreviation: "WIT" })).toBe(
      "1 Des 2026, 09.00 WIT",
    );
  });

  it("turns the day over on the facility's clock, not the reader's", () => {
    const lateUtc = new Date("2026-12-01T17:30:00Z");
    expect(formatClockTimeIn("id", lateUtc, { timeZone: "Asia/Jakarta", timeZoneAbbreviation: "WIB" })).toBe(
      "2 Des 2026, 00.30 WIB",
    );
  });
});
