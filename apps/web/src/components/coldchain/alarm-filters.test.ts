import { describe, expect, it } from "vitest";
import { alarmsHref, parseAlarmFilters } from "./alarm-filters";

const parse = (query: string) => parseAlarmFilters(new URLSearchParams(query));

describe("alarm inbox URL", () => {
  it("round-trips a unit, type, age and status", () => {
    const filters = { unit: 9, type: "freeze" as const, age: "1_to_7_days" as const, status: "all" as const };
    const href = alarmsHref(filters);
    expect(href).toBe("/alarms?unit=9&type=freeze&age=1_to_7_days&status=all");
    expect(parse(href.split("?")[1] ?? "")).toEqual(filters);
  });

  it("drops what the API would refuse and defaults to live alarms", () => {
    expect(parse("unit=-3&type=fire&age=forever&status=gone")).toEqual({
      unit: undefined,
      type: undefined,
      age: undefined,
      status: "live",
    });
    expect(parse("unit=99999999999")).toMatchObject({ unit: undefined });
    expect(alarmsHref({ status: "live" })).toBe("/alarms");
  });
});
