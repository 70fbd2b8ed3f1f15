import { describe, expect, it } from "vitest";
import type { SeededSensor } from "./coldchain";
import { buildNationalOrgUnitSpecs, NATIONAL_PUSKESMAS, planNationalEquipment } from "./national";
import { orderForFullYear } from "./national-readings";
import type { SeededOrgUnit } from "./org-units";

describe("buildNationalOrgUnitSpecs", () => {
  it("has every province and district of idn-area-data and 10,000 puskesmas with unique codes", async () => {
    const specs = await buildNationalOrgUnitSpecs(NATIONAL_PUSKESMAS, 1);
    const count = (level: string) => specs.filter((spec) => spec.level === level).length;
    expect([count("national"), count("province"), count("district"), count("facility")]).toEqual([1, 38, 514, 10_000]);
    expect(new Set(specs.map((spec) => spec.code)).size).toBe(specs.length);
    const districts = new Set(specs.filter((spec) => spec.level === "district").map((spec) => spec.code));
    expect(specs.filter((spec) => spec.level === "facility" && !districts.has(spec.parentCode ?? ""))).toEqual([]);
    // 7,285 kecamatan: one puskesmas each, and a second in 2,715 of them.
    expect(specs.filter((spec) => spec.code.endsWith("-2"))).toHaveLength(10_000 - 7_285);
  });

  it("draws the same puskesmas for the same seed and others for another seed", async () => {
    const codes = async (seed: number) =>
      (await buildNationalOrgUnitSpecs(100, seed)).filter((spec) => spec.level === "facility").map((spec) => spec.code);
    expect(await codes(1)).toEqual(await codes(1));
    expect(await codes(2)).not.toEqual(await codes(1));
  });
});

describe("planNationalEquipment", () => {
  it("gives each puskesmas two fridges and each district store an ice-lined one", () => {
    const unit = (code: string, level: SeededOrgUnit["level"]): SeededOrgUnit => ({
      id: 1,
      code,
      name: code,
      level,
      parentId: null,
      path: "/1/",
      depth: 0,
    });
    const plan = planNationalEquipment([
      unit("ID", "national"),
      unit("11.01", "district"),
      unit("P110101", "facility"),
    ]);
    expect(plan.map((item) => [item.orgCode, item.modelKey, item.deviceId])).toEqual([
      ["11.01", "ilr", "RTS-1101-1"],
      ["P110101", "vestfrost", "RTS-P110101-1"],
      ["P110101", "sdd", "RTS-P110101-2"],
    ]);
  });
});

describe("orderForFullYear", () => {
  const sensor = (id: number, orgCode: string): SeededSensor => ({
    id,
    deviceId: `RTS-${id}`,
    equipmentId: id,
    orgCode,
    modelKey: "ilr",
  });
  const sensors = [
    sensor(1, "11.01.01"),
    sensor(2, "34.04.07"),
    sensor(3, "34.040.01"),
    sensor(4, "34.04.02-2"),
    sensor(5, "34.04"),
  ];

  it("puts the sensors of the given districts first, then the rest in the seed's order", () => {
    const ids = orderForFullYear(sensors, { seed: 1, fullYearAreas: ["34.04"] }).map((entry) => entry.id);
    expect(new Set(ids.slice(0, 3))).toEqual(new Set([2, 4, 5]));
    expect(new Set(ids.slice(3))).toEqual(new Set([1, 3]));
  });

  it("draws the same order for the same seed", () => {
    const order = (seed: number) => orderForFullYear(sensors, { seed, fullYearAreas: [] }).map((entry) => entry.id);
    expect(order(7)).toEqual(order(7));
  });
});
