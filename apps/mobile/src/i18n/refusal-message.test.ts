import type { Locale } from "@rantai/ui/locales";
import { mobileMessages } from "@rantai/ui/mobile-messages";
import { createTranslator } from "use-intl";
import { describe, expect, it } from "vitest";
import { refusalMessageOf } from "./refusal-message";

const worded = (reason: Parameters<typeof refusalMessageOf>[0], locale: Locale) =>
  createTranslator({ locale, messages: mobileMessages[locale] })(refusalMessageOf(reason).key);

describe("the words for a refused action", () => {
  it("says what happened and what to do for the usual offline refusals, in both languages", () => {
    expect(worded("stock.insufficient", "en")).toContain("Count the lot");
    expect(worded("stock.insufficient", "id")).toContain("Hitung batch");
    expect(worded("distribution.shipment_status", "en")).toContain("already received");
    expect(worded("sync.facility_unknown", "id")).toContain("Sambungkan ke internet");
  });

  it("falls back to the shared error catalog for other reasons", () => {
    expect(refusalMessageOf("distribution.receipt_exceeds_shipped")).toEqual({
      key: "errors.distribution.receipt_exceeds_shipped",
    });
    expect(worded("distribution.receipt_exceeds_shipped", "en")).toBe("More was received than was shipped.");
  });
});
