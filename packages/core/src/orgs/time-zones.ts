/**
 * Indonesia's three time zones and which province keeps which, so a time is shown as the
 * facility's clock reads it: WIB (UTC+7), WITA (UTC+8), WIT (UTC+9). Provinces are keyed by
 * their Kemendagri code, as org units of level `province` carry it (`org_units.code`, "34" for
 * DI Yogyakarta). Pure: the phone uses it through `@rantai/core/rules`.
 */
export const indonesianTimeZones = {
  WIB: "Asia/Jakarta",
  WITA: "Asia/Makassar",
  WIT: "Asia/Jayapura",
} as const;
export type TimeZoneAbbreviation = keyof typeof indonesianTimeZones;
/** Hours ahead of UTC, all year: Indonesia keeps no daylight saving. */
export const utcOffsetHours: Readonly<Record<TimeZoneAbbreviation, number>> = { WIB: 7, WITA: 8, WIT: 9 };
export type IndonesianTimeZone = (typeof indonesianTimeZones)[TimeZoneAbbreviation];

export interface ProvinceTimeZone {
  /** The IANA zone, for Intl's `timeZone` option. */
  timeZone: IndonesianTimeZone;
  /** What Indonesians write after a time: "10.30 WITA". */
  abbreviation: TimeZoneAbbreviation;
}

/** The zone of the capital: national-level units and anything outside a province. */
export const nationalTimeZone: ProvinceTimeZone = { timeZone: "Asia/Jakarta", abbreviation: "WIB" };

/**
 * The 38 provinces. Sumatra, Java and West and Central Kalimantan keep WIB; Bali, Nusa
 * Tenggara, South, East and North Kalimantan and Sulawesi WITA; Maluku and Papua WIT.
 */
const provinceZones: Readonly<Record<string, TimeZoneAbbreviation>> = {
  "11": "WIB", // Aceh
  "12": "WIB", // Sumatera Utara
  "13": "WIB", // Sumatera Barat
  "14": "WIB", // Riau
  "15": "WIB", // Jambi
  "16": "WIB", // Sumatera Selatan
  "17": "WIB", // Bengkulu
  "18": "WIB", // Lampung
  "19": "WIB", // Kepulauan Bangka Belitung
  "21": "WIB", // Kepulauan Riau
  "31": "WIB", // DKI Jakarta
  "32": "WIB", // Jawa Barat
  "33": "WIB", // Jawa Tengah
  "34": "WIB", // DI Yogyakarta
  "35": "WIB", // Jawa Timur
  "36": "WIB", // Banten
  "51": "WITA", // Bali
  "52": "WITA", // Nusa Tenggara Barat
  "53": "WITA", // Nusa Tenggara Timur
  "61": "WIB", // Kalimantan Barat
  "62": "WIB", // Kalimantan Tengah
  "63": "WITA", // Kalimantan Selatan
  "64": "WITA", // Kalimantan Timur
  "65": "WITA", // Kalimantan Utara
  "71": "WITA", // Sulawesi Utara
  "72": "WITA", // Sulawesi Tengah
  "73": "WITA", // Sulawesi Selatan
  "74": "WITA", // Sulawesi Tenggara
  "75": "WITA", // Gorontalo
  "76": "WITA", // Sulawesi Barat
  "81": "WIT", // Maluku
  "82": "WIT", // Maluku Utara
  "91": "WIT", // Papua
  "92": "WIT", // Papua Barat
  "93": "WIT", // Papua Selatan
  "94": "WIT", // Papua Tengah
  "95": "WIT", // Papua Pegunungan
  "96": "WIT", // Papua Barat Daya
};

/** The province's zone by its Kemendagri code ("73" → WITA), or null for a code that is no province. */
export function findProvinceTimeZone(provinceCode: string): ProvinceTimeZone | null {
  const abbreviation = Object.hasOwn(provinceZones, provinceCode) ? provinceZones[provinceCode] : undefined;
  return abbreviation ? { timeZone: indonesianTimeZones[abbreviation], abbreviation } : null;
}

/** "WITA" for "Asia/Makassar": the short name to write after a time shown in that zone. */
export function getTimeZoneAbbreviation(timeZone: IndonesianTimeZone): TimeZoneAbbreviation {
  const entry = Object.entries(indonesianTimeZones).find(([, zone]) => zone === timeZone);
  if (!entry) throw new Error(`${timeZone} is not one of Indonesia's time zones`);
  return entry[0] as TimeZoneAbbreviation;
}
