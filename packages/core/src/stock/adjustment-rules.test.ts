import { describe, expect, it } from "vitest";
import { isAdjustmentDirectionAllowed } from "./adjustment-rules";

describe("isAdjustmentDirectionAllowed", () => {
  it.each([
    ["found", 10, true],
    ["found", -10, false],
    ["lost", -10, true],
    ["lost", 10, false],
    ["stolen", -10, true],
    ["stolen", 10, false],
    ["data_correction", 10, true],
    ["data_correction", -10, true],
    ["other", -10, true],
  ] as const)("%s by %i doses: %s", (reason, doses, allowed) => {
    expect(isAdjustmentDirectionAllowed(reason, doses)).toBe(allowed);
  });
});
