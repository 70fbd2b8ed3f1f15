import { describe, expect, it } from "vitest";
import { findProvinceTimeZone, getTimeZoneAbbreviation, indonesianTimeZones } from "./time-zones";

/** Every province by its Kemendagri code (as seeded from idn-area-data) and the zone it keeps. */
const provinces: [code: string, name: string, zone: "WIB" | "WITA" | "WIT"][] = [
  ["11", "Aceh", "WIB"],
  ["12", "Sumatera Utara", "WIB"],
  ["13", "Sumatera Barat", "WIB"],
  ["14", "Riau", "WIB"],
  ["15", "Jambi", "WIB"],
  ["16", "Sumatera Selatan", "WIB"],
  ["17", "Bengkulu", "WIB"],
  ["18", "Lampung", "WIB"],
  ["19", "Kepulauan Bangka Belitung", "WIB"],
  ["21", "Kepulauan Riau", "WIB"],
  ["31", "DKI Jakarta", "WIB"],
  ["32", "Jawa Barat", "WIB"],
  ["33", "Jawa Tengah", "WIB"],
  ["34", "DI Yogyakarta", "WIB"],
  ["35", "Jawa Timur", "WIB"],
  ["36", "Banten", "WIB"],
  ["51", "Bali", "WITA"],
  ["52", "Nusa Tenggara Barat", "WITA"],
  ["53", "Nusa Tenggara Timur", "WITA"],
  ["61", "Kalimantan Barat", "WIB"],
  ["62", "Kalimantan Tengah", "WIB"],
  ["63", "Kalimantan Selatan", "WITA"],
  ["64", "Kalimantan Timur", "WITA"],
  ["65", "Kalimantan Utara", "WITA"],
  ["71", "Sulawesi Utara", "WITA"],
  ["72", "Sulawesi Tengah", "WITA"],
  ["73", "Sulawesi Selatan", "WITA"],
  ["74", "Sulawesi Tenggara", "WITA"],
  ["75", "Gorontalo", "WITA"],
  ["76", "Sulawesi Barat", "WITA"],
  ["81", "Maluku", "WIT"],
  ["82", "Maluku Utara", "WIT"],
  ["91", "Papua", "WIT"],
  ["92", "Papua Barat", "WIT"],
  ["93", "Papua Selatan", "WIT"],
  ["94", "Papua Tengah", "WIT"],
  ["95", "Papua Pegunungan", "WIT"],
  ["96", "Papua Barat Daya", "WIT"],
];

describe("findProvinceTimeZone", () => {
  it("knows all 38 provinces", () => {
    expect(provinces).toHaveLength(38);
    expect(new Set(provinces.map(([code]) => code)).size).toBe(38);
  });

  it.each(provinces)("%s (%s) keeps %s", (code, _name, zone) => {
    expect(findProvinceTimeZone(code)).toEqual({ timeZone: indonesianTimeZones[zone], abbreviation: zone });
  });

  it("puts the zones' clocks where they are: UTC+7, +8, +9", () => {
    const noonUtc = new Date("2026-12-01T12:00:00Z");
    const hourIn = (timeZone: string) =>
      new Intl.DateTimeFormat("en", { timeZone, hour: "numeric", hourCycle: "h23" }).format(noonUtc);
    expect(hourIn(indonesianTimeZones.WIB)).toBe("19");
    expect(hourIn(indonesianTimeZones.WITA)).toBe("20");
    expect(hourIn(indonesianTimeZones.WIT)).toBe("21");
  });

  it("answers null for a code that is no province", () => {
    for (const code of ["", "ID", "34.04", "P340407", "99", "toString", "__proto__"]) {
      expect(findProvinceTimeZone(code), code).toBeNull();
    }
  });
});

describe("getTimeZoneAbbreviation", () => {
  it("names each zone the Indonesian way", () => {
    expect(getTimeZoneAbbreviation("Asia/Jakarta")).toBe("WIB");
    expect(getTimeZoneAbbreviation("Asia/Makassar")).toBe("WITA");
    expect(getTimeZoneAbbreviation("Asia/Jayapura")).toBe("WIT");
  });
});
