import { describe, expect, it } from "vitest";
import { dataAgeOf, oldestFetch } from "./data-age";

const now = Date.parse("2026-12-01T10:00:00Z");
const ago = (ms: number) => now - ms;
const minute = 60_000;

describe("how old a screen's data is", () => {
  it("says never for data the phone has not fetched", () => {
    expect(dataAgeOf(undefined, now)).toEqual({ kind: "never" });
  });

  it("counts minutes, then hours, then days", () => {
    expect(dataAgeOf(ago(30_000), now)).toEqual({ kind: "justNow" });
    expect(dataAgeOf(ago(5 * minute + 59_000), now)).toEqual({ kind: "minutes", minutes: 5 });
    expect(dataAgeOf(ago(59 * minute), now)).toEqual({ kind: "minutes", minutes: 59 });
    expect(dataAgeOf(ago(60 * minute), now)).toEqual({ kind: "hours", hours: 1 });
    expect(dataAgeOf(ago(47 * 60 * minute), now)).toEqual({ kind: "hours", hours: 47 });
    expect(dataAgeOf(ago(7 * 24 * 60 * minute), now)).toEqual({ kind: "days", days: 7 });
  });

  it("treats a fetch time ahead of the clock (the clock was set back) as just now", () => {
    expect(dataAgeOf(now + 5 * minute, now)).toEqual({ kind: "justNow" });
  });

  it("takes the oldest of a screen's datasets, and never when one is missing", () => {
    expect(oldestFetch([ago(minute), ago(10 * minute)])).toBe(ago(10 * minute));
    expect(oldestFetch([ago(minute), undefined])).toBeUndefined();
  });
});
