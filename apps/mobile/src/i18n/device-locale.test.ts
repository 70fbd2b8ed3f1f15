import { describe, expect, it } from "vitest";
import { facilityZoneOf, localeOfDevice } from "./device-locale";

describe("the phone's language and clock before anyone chose", () => {
  it("takes the device's language when it is Indonesian or English, else Indonesian", () => {
    expect(localeOfDevice(["en-GB", "id-ID"])).toBe("en");
    expect(localeOfDevice(["fr-FR", "id"])).toBe("id");
    expect(localeOfDevice(["ID-id"])).toBe("id");
    expect(localeOfDevice(["fr-FR", "de"])).toBe("id");
    expect(localeOfDevice([])).toBe("id");
  });

  it("names the facility's zone from the device's, WIB when the device is outside Indonesia's", () => {
    expect(facilityZoneOf("Asia/Makassar")).toEqual({ timeZone: "Asia/Makassar", abbreviation: "WITA" });
    expect(facilityZoneOf("Asia/Jayapura")).toEqual({ timeZone: "Asia/Jayapura", abbreviation: "WIT" });
    expect(facilityZoneOf("UTC")).toEqual({ timeZone: "Asia/Jakarta", abbreviation: "WIB" });
    expect(facilityZoneOf(undefined)).toEqual({ timeZone: "Asia/Jakarta", abbreviation: "WIB" });
  });
});
