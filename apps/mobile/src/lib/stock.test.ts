import type { Locale } from "@rantai/ui/locales";
import { mobileMessages } from "@rantai/ui/mobile-messages";
import { createTranslator } from "use-intl";
import { describe, expect, it } from "vitest";
import type { Lot } from "./local-stock";
import { checkUsage, type UsageProblem, usableLotsFefo } from "./stock";

/** A problem as the screen words it. */
function worded(problem: UsageProblem | null, locale: Locale = "en"): string | null {
  if (!problem) return null;
  const t = createTranslator({ locale, messages: mobileMessages[locale], namespace: "mobile.usage.check" });
  return "values" in problem ? t(problem.key, problem.values) : t(problem.key);
}

function wordedCheck(draft: Parameters<typeof checkUsage>[0], lotFields = lot, locale: Locale = "en") {
  const check = checkUsage(draft, lotFields);
  return check.ok
    ? check
    : { ok: false, vialsError: worded(check.vialsError, locale), dosesError: worded(check.dosesError, locale) };
}

const lot = { lotNumber: "A1", vials: 5, dosesPerVial: 20 };

describe("checkUsage", () => {
  it("accepts whole numbers within the lot and the vials opened", () => {
    expect(checkUsage({ vialsOpened: " 2 ", dosesAdministered: "40" }, lot)).toEqual({
      ok: true,
      vialsOpened: 2,
      dosesAdministered: 40,
    });
    expect(checkUsage({ vialsOpened: "1", dosesAdministered: "0" }, lot).ok).toBe(true);
  });

  it("waits silently for empty fields", () => {
    expect(checkUsage({ vialsOpened: "", dosesAdministered: "" }, lot)).toEqual({
      ok: false,
      vialsError: null,
      dosesError: null,
    });
  });

  it("refuses fractions, zero vials and more vials than the lot holds", () => {
    expect(checkUsage({ vialsOpened: "1.5", dosesAdministered: "1" }, lot)).toMatchObject({ ok: false });
    expect(checkUsage({ vialsOpened: "-1", dosesAdministered: "1" }, lot)).toMatchObject({ ok: false });
    expect(wordedCheck({ vialsOpened: "0", dosesAdministered: "0" })).toMatchObject({
      vialsError: "A session opens at least 1 vial.",
    });
    expect(wordedCheck({ vialsOpened: "6", dosesAdministered: "1" })).toMatchObject({
      vialsError: "Only 5 vials of lot A1 in stock.",
    });
    expect(wordedCheck({ vialsOpened: "6", dosesAdministered: "1" }, lot, "id")).toMatchObject({
      vialsError: "Stok batch A1 hanya 5 vial.",
    });
  });

  it("says when a session opens more vials from one lot than the server accepts", () => {
    const draft = { vialsOpened: "100001", dosesAdministered: "1" };
    expect(wordedCheck(draft, { ...lot, vials: 200_000 })).toMatchObject({
      ok: false,
      vialsError: "A session opens at most 100,000 vials of one lot.",
      dosesError: null,
    });
    // Numbers in the reader's language: Indonesian groups thousands with a dot.
    expect(wordedCheck(draft, { ...lot, vials: 200_000 }, "id")).toMatchObject({
      vialsError: "Satu sesi membuka paling banyak 100.000 vial dari satu batch.",
    });
  });

  // The rule itself (doses within the opened vials) is tested in core's stock/quantities.test.ts;
  // this checks the phone's wording of it.
  it("refuses more doses given than the opened vials hold", () => {
    expect(wordedCheck({ vialsOpened: "2", dosesAdministered: "41" })).toMatchObject({
      ok: false,
      dosesError: "2 vials hold only 40 doses, so at most 40 can have been given.",
    });
    expect(wordedCheck({ vialsOpened: "1", dosesAdministered: "21" })).toMatchObject({
      dosesError: "1 vial holds only 20 doses, so at most 20 can have been given.",
    });
  });
});

function makeLot(fields: Pick<Lot, "batchId" | "expiryDate"> & Partial<Lot>): Lot {
  return {
    itemId: 1,
    itemCode: "BOPV",
    itemName: "bOPV",
    dosesPerVial: 20,
    lotNumber: `L${fields.batchId}`,
    vvmStage: 1,
    quantity: 20,
    vials: 1,
    daysUntilExpiry: 100,
    usable: true,
    ...fields,
  };
}

describe("usableLotsFefo", () => {
  const lots = [
    makeLot({ batchId: 1, expiryDate: "2027-06-01" }),
    makeLot({ batchId: 2, expiryDate: "2026-12-01" }),
    makeLot({ batchId: 3, expiryDate: "2026-11-01", usable: false }),
    makeLot({ batchId: 4, expiryDate: "2026-12-01" }),
    makeLot({ batchId: 5, expiryDate: "2026-10-01", vials: 0, quantity: 0 }),
  ];

  it("keeps usable lots with stock, earliest expiry first", () => {
    expect(usableLotsFefo(lots).map((l) => l.batchId)).toEqual([2, 4, 1]);
  });
});
