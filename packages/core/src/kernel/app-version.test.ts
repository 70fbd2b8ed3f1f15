import { describe, expect, it } from "vitest";
import { compareAppVersions, isAppVersionSupported, ZAppVersionSchema } from "./app-version";

describe("compareAppVersions", () => {
  it("compares each part as a number, not as text", () => {
    expect(compareAppVersions("1.2.10", "1.2.9")).toBe(1);
    expect(compareAppVersions("1.10.0", "1.9.9")).toBe(1);
    expect(compareAppVersions("2.0.0", "10.0.0")).toBe(-1);
  });

  it("orders a prerelease before its release and prereleases by their identifiers", () => {
    expect(compareAppVersions("1.3.0-beta.1", "1.3.0")).toBe(-1);
    expect(compareAppVersions("1.3.0", "1.3.0-rc.1")).toBe(1);
    expect(compareAppVersions("1.3.0-beta.2", "1.3.0-beta.10")).toBe(-1);
    expect(compareAppVersions("1.3.0-alpha", "1.3.0-alpha.1")).toBe(-1);
    expect(compareAppVersions("1.3.0-1", "1.3.0-alpha")).toBe(-1);
    expect(compareAppVersions("1.3.0-rc.1", "1.2.9")).toBe(1);
  });

  it("ignores build metadata", () => {
    expect(compareAppVersions("1.2.3+build.7", "1.2.3")).toBe(0);
  });
});

describe("isAppVersionSupported", () => {
  it("supports the minimum itself and anything newer", () => {
    expect(isAppVersionSupported("0.1.0", "0.1.0")).toBe(true);
    expect(isAppVersionSupported("1.2.10", "1.2.9")).toBe(true);
    expect(isAppVersionSupported("1.0.0", "0.9.9")).toBe(true);
  });

  it("refuses older versions, including a prerelease of the minimum", () => {
    expect(isAppVersionSupported("1.2.9", "1.2.10")).toBe(false);
    expect(isAppVersionSupported("0.9.9", "1.0.0")).toBe(false);
    expect(isAppVersionSupported("1.3.0-beta.1", "1.3.0")).toBe(false);
  });
});

describe("ZAppVersionSchema", () => {
  it("accepts semantic versions", () => {
    for (const version of ["0.1.0", "1.2.10", "1.3.0-beta.1", "1.2.3+build.7"]) {
      expect(ZAppVersionSchema.safeParse(version).success, version).toBe(true);
    }
  });

  it("refuses anything else", () => {
    for (const version of ["", "1.2", "v1.2.3", "1.02.3", "1.2.3-", "1.2.3.4", "latest", `1.2.3-${"a".repeat(80)}`]) {
      expect(ZAppVersionSchema.safeParse(version).success, version).toBe(false);
    }
  });
});
