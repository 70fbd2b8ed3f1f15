import { describe, expect, it } from "vitest";
import { defaultAlarmRules, noDataThresholdMs, resolveRules } from "./rules";

const byType = (rules: ReturnType<typeof resolveRules>) => new Map(rules.fold.map((rule) => [rule.type, rule]));

describe("resolveRules", () => {
  it("uses the defaults when the equipment has no rule rows", () => {
    const rules = resolveRules("refrigerator", []);
    expect(rules.fold).toEqual([
      defaultAlarmRules.heat,
      defaultAlarmRules.freeze,
      defaultAlarmRules.excursion,
      defaultAlarmRules.low_battery,
    ]);
    expect(rules.noData).toEqual({ enabled: true, durationSeconds: null });
  });

  it("applies a row's limit, inclusivity and duration; a NULL limit keeps the default limit and inclusivity", () => {
    const rules = byType(
      resolveRules("refrigerator", [
        { type: "heat", thresholdCentiC: 1000, thresholdInclusive: true, durationSeconds: 3600, enabled: true },
        { type: "freeze", thresholdCentiC: null, thresholdInclusive: false, durationSeconds: 1800, enabled: true },
        { type: "low_battery", thresholdCentiC: 30, thresholdInclusive: false, durationSeconds: 0, enabled: true },
        { type: "excursion", thresholdCentiC: 500, thresholdInclusive: true, durationSeconds: 7200, enabled: false },
      ]),
    );
    expect(rules.get("heat")).toMatchObject({ above: { value: 1000, inclusive: true }, durationMs: 3_600_000 });
    expect(rules.get("freeze")).toMatchObject({ below: { value: -50, inclusive: true }, durationMs: 1_800_000 });
    expect(rules.get("low_battery")).toMatchObject({ below: { value: 30, inclusive: false }, hysteresis: 5 });
    // EXCURSION keeps the storage range whatever the row says; only duration and enabled apply.
    expect(rules.get("excursion")).toMatchObject({
      enabled: false,
      durationMs: 7_200_000,
      above: { value: 800, inclusive: false },
      below: { value: 200, inclusive: false },
    });
  });

  it("turns the fridge-range rules off for freezers unless a row turns them on", () => {
    const freezer = byType(
      resolveRules("freezer", [
        { type: "heat", thresholdCentiC: -1500, thresholdInclusive: false, durationSeconds: 3600, enabled: true },
      ]),
    );
    expect(freezer.get("heat")).toMatchObject({ enabled: true, above: { value: -1500 } });
    expect(freezer.get("freeze")?.enabled).toBe(false);
    expect(freezer.get("excursion")?.enabled).toBe(false);
    expect(freezer.get("low_battery")?.enabled).toBe(true);
  });

  it("lets a no_data row switch NO_DATA off or set its wait", () => {
    const rules = resolveRules("refrigerator", [
      { type: "no_data", thresholdCentiC: null, thresholdInclusive: false, durationSeconds: 900, enabled: false },
    ]);
    expect(rules.noData).toEqual({ enabled: false, durationSeconds: 900 });
  });
});

describe("noDataThresholdMs", () => {
  it.each([
    [300, 3_600_000],
    [1800, 3_600_000],
    [3600, 7_200_000],
  ])("interval %i s waits %i ms", (interval, expected) => {
    expect(noDataThresholdMs(interval)).toBe(expected);
  });
  it("an override wins", () => expect(noDataThresholdMs(300, 900)).toBe(900_000));
});
