import { describe, expect, it } from "vitest";
import {
  averageMonthlyConsumption,
  expiringDoses,
  monthsOfStock,
  stockOutDays,
  stockStatus,
  suggestedOrderDoses,
  usableDoses,
  wastageRates,
} from "./indicators";

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);

describe("averageMonthlyConsumption", () => {
  it("averages consumption over the window in 30-day months", () => {
    // 1,800 doses in 90 days = 600 per 30 days.
    expect(averageMonthlyConsumption({ consumedDoses: 1800, windowDays: 90, stockOutDays: 0 })).toBe(600);
  });

  it("scales up for stock-out days (OpenLMIS adjusted consumption) and rounds up", () => {
    // 1,000 doses in 90 days, 15 of them stocked out: 1000 × 90/75 = 1200 → 1200 × 30/90 = 400.
    expect(averageMonthlyConsumption({ consumedDoses: 1000, windowDays: 90, stockOutDays: 15 })).toBe(400);
    // 100 doses in 30 days, 7 days out: 100 × 30/23 = 130.43… → ceil 131.
    expect(averageMonthlyConsumption({ consumedDoses: 100, windowDays: 30, stockOutDays: 7 })).toBe(131);
  });

  it("is 0 with no consumption or a window entirely out of stock", () => {
    expect(averageMonthlyConsumption({ consumedDoses: 0, windowDays: 90, stockOutDays: 0 })).toBe(0);
    expect(averageMonthlyConsumption({ consumedDoses: 50, windowDays: 30, stockOutDays: 30 })).toBe(0);
  });
});

describe("months of stock, status and suggested order", () => {
  const level = { minMonths: 1, maxMonths: 2 };

  it("computes MOS = SOH ÷ AMC", () => {
    expect(monthsOfStock(300, 200)).toBe(1.5);
    expect(monthsOfStock(300, 0)).toBeNull();
  });

  // SOH, AMC → status; min 1, max 2 months.
  const statusCases = [
    { soh: 0, amc: 200, status: "stock_out" },
    { soh: 0, amc: 0, status: "stock_out" },
    { soh: 150, amc: 200, status: "below_min" }, // 0.75 months
    { soh: 200, amc: 200, status: "below_min" }, // exactly min: the reorder point
    { soh: 300, amc: 200, status: "normal" }, // 1.5
    { soh: 400, amc: 200, status: "normal" }, // exactly max
    { soh: 500, amc: 200, status: "above_max" }, // 2.5
    { soh: 50, amc: 0, status: "unknown" },
  ] as const;
  it.each(statusCases)("SOH $soh, AMC $amc → $status", ({ soh, amc, status }) => {
    expect(stockStatus(soh, amc, level)).toBe(status);
  });

  it("suggests max × AMC − SOH when MOS ≤ min, in whole vials", () => {
    // MOS 0.75 ≤ 1 → 2 × 200 − 150 = 250 doses; 10-dose vials → 250.
    expect(suggestedOrderDoses({ stockOnHand: 150, amc: 200, level, dosesPerVial: 10 })).toBe(250);
    // The same with 20-dose vials rounds up to 13 vials = 260 doses.
    expect(suggestedOrderDoses({ stockOnHand: 150, amc: 200, level, dosesPerVial: 20 })).toBe(260);
    // Stocked out: the whole max, 2 × 120 = 240.
    expect(suggestedOrderDoses({ stockOnHand: 0, amc: 120, level, dosesPerVial: 1 })).toBe(240);
  });

  it("suggests nothing above min, or without consumption", () => {
    expect(suggestedOrderDoses({ stockOnHand: 300, amc: 200, level, dosesPerVial: 10 })).toBe(0);
    expect(suggestedOrderDoses({ stockOnHand: 0, amc: 0, level, dosesPerVial: 10 })).toBe(0);
  });

  it("uses max as the trigger when min is 0 (Open mSupply)", () => {
    const noMin = { minMonths: 0, maxMonths: 3 };
    // MOS 2.5 ≤ 3 → 3 × 100 − 250 = 50.
    expect(suggestedOrderDoses({ stockOnHand: 250, amc: 100, level: noMin, dosesPerVial: 1 })).toBe(50);
    expect(suggestedOrderDoses({ stockOnHand: 350, amc: 100, level: noMin, dosesPerVial: 1 })).toBe(0);
  });
});

describe("stockOutDays", () => {
  it("counts the time the balance sat at zero", () => {
    // 30-day window, 100 doses; all used on day 10, 60 received on day 15, 60 used on day 25.
    const movements = [
      { at: day(25), quantity: -60 },
      { at: day(10), quantity: -100 },
      { at: day(15), quantity: 60 },
    ];
    // Out from day 10 to 15 (5 days) and from day 25 to 30 (5 days).
    expect(stockOutDays(100, movements, day(0), day(30))).toBe(10);
  });

  it("counts the whole window when nothing arrived, and none when stock never ran out", () => {
    expect(stockOutDays(0, [], day(0), day(30))).toBe(30);
    expect(stockOutDays(10, [{ at: day(5), quantity: -5 }], day(0), day(30))).toBe(0);
  });

  it("measures part days and ignores movements outside the window", () => {
    const movements = [
      { at: day(-3), quantity: 500 },
      { at: new Date(day(1).getTime() + 12 * 3_600_000), quantity: 20 },
    ];
    expect(stockOutDays(0, movements, day(0), day(10))).toBe(1.5);
  });
});

describe("expiringDoses", () => {
  it("puts doses into cumulative 30/60/90-day windows and expired apart", () => {
    // 2025-03-01 10:00 WIB.
    const at = new Date("2025-03-01T03:00:00Z");
    const lots = [
      { quantity: 10, expiryDate: "2025-02-28" }, // expired yesterday
      { quantity: 20, expiryDate: "2025-03-01" }, // expires today: still usable, within 30
      { quantity: 30, expiryDate: "2025-03-31" }, // 30 days
      { quantity: 40, expiryDate: "2025-04-15" }, // 45 days
      { quantity: 50, expiryDate: "2025-05-30" }, // 90 days
      { quantity: 60, expiryDate: "2025-05-31" }, // 91 days
    ];
    expect(expiringDoses(lots, at)).toEqual({ expired: 10, within30Days: 50, within60Days: 90, within90Days: 140 });
  });
});

describe("usableDoses", () => {
  it("counts lots through their expiry day and before the VVM discard point only", () => {
    // 2025-03-01 10:00 WIB.
    const at = new Date("2025-03-01T03:00:00Z");
    const lots = [
      { quantity: 10, expiryDate: "2025-02-28", vvmStage: 1 }, // expired yesterday
      { quantity: 20, expiryDate: "2025-03-01", vvmStage: 2 }, // expires today, stage 2: usable
      { quantity: 30, expiryDate: "2026-01-01", vvmStage: 3 }, // discard point
      { quantity: 40, expiryDate: "2026-01-01", vvmStage: 1 },
    ];
    expect(usableDoses(lots, at)).toBe(60);
    expect(usableDoses([], at)).toBe(0);
  });
});

describe("wastageRates", () => {
  it("follows WHO's usage and wastage rates with open- and closed-vial parts", () => {
    // 20 vials of 10 doses opened (200 used), 150 given, 30 closed-vial doses discarded.
    // UR = 150/200 = 75 %; WR = 25 %; WF = 100/75 = 1.33; open-vial 50/200 = 25 %; closed 30/200 = 15 %.
    expect(wastageRates({ dosesUsed: 200, dosesAdministered: 150, closedVialDosesDiscarded: 30 })).toEqual({
      usageRate: 75,
      wastageRate: 25,
      wastageFactor: 1.33,
      openVialWastageRate: 25,
      closedVialWastageRate: 15,
    });
  });

  it("rounds to one decimal and has no rates without use", () => {
    // 3 × 20-dose vials = 60 used, 47 given: UR 78.33… → 78.3; WR 21.7; WF 1.28.
    expect(wastageRates({ dosesUsed: 60, dosesAdministered: 47, closedVialDosesDiscarded: 0 })).toMatchObject({
      usageRate: 78.3,
      wastageRate: 21.7,
      wastageFactor: 1.28,
      openVialWastageRate: 21.7,
    });
    expect(wastageRates({ dosesUsed: 0, dosesAdministered: 0, closedVialDosesDiscarded: 10 })).toBeNull();
  });
});
