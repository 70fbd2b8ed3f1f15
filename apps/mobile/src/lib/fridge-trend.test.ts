import { describe, expect, it } from "vitest";
import { trendOf } from "./fridge-trend";

describe("a fridge's trend", () => {
  it("rises or falls from half a degree over the half hour, and holds below that", () => {
    expect(trendOf({ tempC: 6.1 }, { tempC: 5.6 })).toBe("rising");
    expect(trendOf({ tempC: 4.0 }, { tempC: 5.2 })).toBe("falling");
    expect(trendOf({ tempC: 5.0 }, { tempC: 4.6 })).toBe("steady");
    expect(trendOf({ tempC: 4.6 }, { tempC: 5.0 })).toBe("steady");
  });

  it("is unknown without two readings", () => {
    expect(trendOf({ tempC: 5 }, null)).toBe("unknown");
    expect(trendOf(null, { tempC: 5 })).toBe("unknown");
  });
});
