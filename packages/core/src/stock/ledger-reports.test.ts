import { describe, expect, it } from "vitest";
import { periodDays } from "../kernel/report-definition";
import { wastageFigures } from "./ledger-reports";

describe("wastageFigures", () => {
  it("counts opened-but-not-given and closed-vial discards over the doses given and wasted", () => {
    // 3 vials of 10 opened (one discarded under the open-vial policy) for 24 children; 10 broken.
    expect(
      wastageFigures({ administered: 24, openedForUse: 20, openVialDiscarded: 10, closedVialDiscarded: 10 }),
    ).toEqual({ openVialWasted: 6, closedVialWasted: 10, wasted: 16, wastageRatePct: 40 });
  });

  it("never counts more given than opened as negative wastage, and has no rate without doses", () => {
    expect(
      wastageFigures({ administered: 12, openedForUse: 10, openVialDiscarded: 0, closedVialDiscarded: 0 }),
    ).toEqual({ openVialWasted: 0, closedVialWasted: 0, wasted: 0, wastageRatePct: 0 });
    expect(wastageFigures({ administered: 0, openedForUse: 0, openVialDiscarded: 0, closedVialDiscarded: 0 })).toEqual({
      openVialWasted: 0,
      closedVialWasted: 0,
      wasted: 0,
      wastageRatePct: null,
    });
  });
});

describe("periodDays", () => {
  it("gives the WIB days of a period, both ends included", () => {
    const now = new Date("2026-12-01T05:00:00Z");
    expect(periodDays({ from: "2026-11-01", to: "2026-11-30" }, now)).toEqual({
      firstDay: "2026-11-01",
      lastDay: "2026-11-30",
      days: 30,
    });
    // Without a period: the 30 days up to now, today (1 December, WIB) included.
    expect(periodDays({}, now)).toEqual({ firstDay: "2026-11-01", lastDay: "2026-12-01", days: 31 });
  });
});
