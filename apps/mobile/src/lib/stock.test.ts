import { describe, expect, it } from "vitest";
import { checkUsage, type Lot, usableLotsFefo } from "./stock";

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
    expect(checkUsage({ vialsOpened: "0", dosesAdministered: "0" }, lot)).toMatchObject({
      vialsError: "A session opens at least 1 vial.",
    });
    expect(checkUsage({ vialsOpened: "6", dosesAdministered: "1" }, lot)).toMatchObject({
      vialsError: "Only 5 vials of lot A1 are in stock.",
    });
  });

  it("says when a session opens more vials from one lot than the server accepts", () => {
    expect(checkUsage({ vialsOpened: "100001", dosesAdministered: "1" }, { ...lot, vials: 200_000 })).toMatchObject({
      ok: false,
      vialsError: "A session opens at most 100,000 vials of one lot.",
      dosesError: null,
    });
  });

  // The rule itself (doses within the opened vials) is tested in core's stock/quantities.test.ts;
  // this checks the phone's wording of it.
  it("refuses more doses given than the opened vials hold", () => {
    expect(checkUsage({ vialsOpened: "2", dosesAdministered: "41" }, lot)).toMatchObject({
      ok: false,
      dosesError: "2 vials hold only 40 doses, so at most 40 can have been given.",
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
    manufacturer: "PT Bio Farma (Persero)",
    vvmStage: 1,
    quantity: 20,
    vials: 1,
    daysUntilExpiry: 100,
    usable: true,
    unusableReason: null,
    unusableCause: null,
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
