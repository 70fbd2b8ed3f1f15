import { formatClockTimeIn } from "@rantai/ui/locale-format";
import { describe, expect, it } from "vitest";
import { facilityClockOf } from "./facility-clock";

describe("the facility's clock on the phone", () => {
  const midnightUtc = new Date("2026-12-01T00:00:00Z");
  const makassar = { timeZone: "Asia/Makassar", timeZoneAbbreviation: "WITA" };

  it("shows a WITA facility's 00:00Z as 08.00 WITA, on a device set to Jakarta, UTC or abroad", () => {
    for (const device of ["Asia/Jakarta", "UTC", "Europe/Amsterdam", undefined]) {
      const clock = facilityClockOf(makassar, device);
      expect(clock).toEqual(makassar);
      expect(formatClockTimeIn("id", midnightUtc, clock)).toBe("1 Des 2026, 08.00 WITA");
    }
  });

  it("stands in with the device's Indonesian zone, else WIB, until the server has named the facility's", () => {
    expect(facilityClockOf(null, "Asia/Jayapura")).toEqual({ timeZone: "Asia/Jayapura", timeZoneAbbreviation: "WIT" });
    expect(facilityClockOf(undefined, "UTC")).toEqual({ timeZone: "Asia/Jakarta", timeZoneAbbreviation: "WIB" });
    expect(formatClockTimeIn("id", midnightUtc, facilityClockOf(null, "UTC"))).toBe("1 Des 2026, 07.00 WIB");
  });
});
