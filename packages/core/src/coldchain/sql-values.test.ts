import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sqlInteger, sqlIntegerOrNull, sqlUtcDateTime } from "./sql-values";

describe("SQL literals of the ingest path", () => {
  it("formats any DATETIME-range time exactly as toISOString does, quoted, with a space", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(sqlUtcDateTime(ms)).toBe(`'${iso.slice(0, 10)} ${iso.slice(11, 23)}'`);
        expect(sqlUtcDateTime(new Date(ms))).toBe(sqlUtcDateTime(ms));
      }),
      { numRuns: 5000 },
    );
    expect(sqlUtcDateTime(Date.UTC(2026, 10, 25, 23, 59, 59, 999))).toBe("'2026-11-25 23:59:59.999'");
    expect(sqlUtcDateTime(Date.UTC(2024, 1, 29, 0, 0, 0, 7))).toBe("'2024-02-29 00:00:00.007'");
  });

  it("refuses what is not a time or not an integer, so nothing else reaches the SQL text", () => {
    for (const bad of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, 253_402_300_800_000]) {
      expect(() => sqlUtcDateTime(bad)).toThrow(/unexpected timestamp/);
    }
    expect(() => sqlUtcDateTime(new Date(Number.NaN))).toThrow(/unexpected timestamp/);
    expect(sqlInteger(-42)).toBe("-42");
    expect(sqlIntegerOrNull(null)).toBe("NULL");
    for (const bad of [1.5, Number.NaN, 2 ** 53]) expect(() => sqlInteger(bad)).toThrow(/expected an integer/);
  });
});
