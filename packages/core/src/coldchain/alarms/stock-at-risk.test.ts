import { describe, expect, it } from "vitest";
import { isExposedTo, type StockAtRiskItem } from "../../stock/at-risk";
import { exposureOfAlarm, selectStockAtRisk } from "./stock-at-risk";

const item = (code: string, overrides: Partial<StockAtRiskItem>): StockAtRiskItem => ({
  itemId: code.length,
  code,
  name: code,
  kind: "vaccine",
  freezeSensitive: false,
  heatSensitive: false,
  vvmType: "VVM30",
  storageMinC: 2,
  storageMaxC: 8,
  doses: 100,
  batches: [],
  ...overrides,
});
const stock = [
  item("BCG", { vvmType: "VVM30" }),
  item("PENTA", { freezeSensitive: true, vvmType: "VVM14", heatSensitive: true, doses: 50 }),
  item("BOPV", { vvmType: "VVM2", heatSensitive: true, doses: 200 }),
  item("DIL-BCG", { kind: "diluent", freezeSensitive: true, vvmType: "none", doses: 20 }),
];

describe("stock at risk", () => {
  it.each([
    ["freeze", ["PENTA", "DIL-BCG"], 70],
    ["heat", ["BOPV", "PENTA", "BCG"], 350],
    ["excursion", ["BOPV", "PENTA", "BCG"], 350],
    ["no_data", ["BOPV", "PENTA", "BCG"], 350],
    ["low_battery", [], 0],
  ] as const)("%s threatens %j (%i doses), most sensitive first", (type, codes, doses) => {
    const selected = selectStockAtRisk(9, type, stock);
    expect(selected.items.map((entry) => entry.code)).toEqual(codes);
    expect(selected).toMatchObject({ facilityId: 9, alarmType: type, totalDoses: doses });
  });

  it("a diluent is never heat-threatened, but freezing can crack it", () => {
    const diluent = { kind: "diluent", freezeSensitive: true } as const;
    expect(isExposedTo("heat", diluent)).toBe(false);
    expect(isExposedTo("freeze", diluent)).toBe(true);
  });

  it("syringes and safety boxes are never at risk", () => {
    for (const kind of ["syringe", "safety_box"] as const) {
      expect(isExposedTo("heat", { kind, freezeSensitive: false })).toBe(false);
      expect(isExposedTo("freeze", { kind, freezeSensitive: false })).toBe(false);
    }
  });

  it.each([
    ["freeze", "freeze"],
    ["heat", "heat"],
    ["excursion", "heat"],
    ["no_data", "heat"],
    ["low_battery", null],
  ] as const)("a %s alarm means exposure %s", (type, exposure) => {
    expect(exposureOfAlarm(type)).toBe(exposure);
  });
});
