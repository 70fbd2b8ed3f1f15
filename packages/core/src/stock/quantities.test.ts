import { describe, expect, it } from "vitest";
import { AppError } from "../kernel/errors";
import {
  isAdministeredWithinOpened,
  isWholeVials,
  requireAdministeredWithinOpened,
  requireWholeVials,
  vialsToDoses,
} from "./quantities";
import { MAX_VIALS_PER_USAGE_LINE, ZUsageLineSchema } from "./usage-line";

const bopv = { itemName: "bOPV", dosesPerVial: 20 };

function refusalOf(check: () => void): Pick<AppError, "reason" | "message"> | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof AppError) return { reason: error.reason, message: error.message };
    throw error;
  }
}

describe("doses given within the vials opened", () => {
  it("allows up to every dose of the opened vials, none given included", () => {
    expect(isAdministeredWithinOpened(40, 2, 20)).toBe(true);
    expect(isAdministeredWithinOpened(0, 1, 20)).toBe(true);
    expect(refusalOf(() => requireAdministeredWithinOpened(40, 2, bopv))).toBeNull();
  });

  // Moved from the phone's stock.test.ts: the phone now asks this rule while staff type.
  it("refuses more doses given than the opened vials hold", () => {
    expect(isAdministeredWithinOpened(41, 2, 20)).toBe(false);
    expect(refusalOf(() => requireAdministeredWithinOpened(41, 2, bopv))).toEqual({
      reason: "stock.doses_exceed_opened",
      message:
        "2 vial(s) of bOPV hold 40 doses, fewer than the 41 doses recorded as given. Check the number of vials opened.",
    });
  });
});

describe("whole vials", () => {
  it("counts doses in whole vials and names the nearest valid amounts", () => {
    expect(vialsToDoses(3, 20)).toBe(60);
    expect(isWholeVials(60, 20)).toBe(true);
    expect(isWholeVials(50, 20)).toBe(false);
    expect(refusalOf(() => requireWholeVials(50, bopv))).toEqual({
      reason: "stock.not_whole_vials",
      message: "bOPV comes in vials of 20 doses, so 50 doses is not a whole number of vials. Use 40 or 60.",
    });
  });
});

describe("ZUsageLineSchema", () => {
  const line = { batchId: 1, vialsOpened: 2, dosesAdministered: 40 };

  it("accepts a session line", () => {
    expect(ZUsageLineSchema.safeParse(line).success).toBe(true);
  });

  // Moved from the phone's stock.test.ts: zero vials, fractions and negatives are refused by the
  // schema the server validates with, which the phone now shares.
  it("refuses zero vials, fractions, negatives and more vials than a line may open", () => {
    for (const vialsOpened of [0, 1.5, -1, MAX_VIALS_PER_USAGE_LINE + 1]) {
      expect(ZUsageLineSchema.safeParse({ ...line, vialsOpened }).success, `vialsOpened ${vialsOpened}`).toBe(false);
    }
    expect(ZUsageLineSchema.safeParse({ ...line, dosesAdministered: -1 }).success).toBe(false);
  });
});
