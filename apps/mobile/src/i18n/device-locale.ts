import {
  getTimeZoneAbbreviation,
  type IndonesianTimeZone,
  indonesianTimeZones,
  nationalTimeZone,
  type ProvinceTimeZone,
} from "@rantai/core/rules";
import { defaultLocale, isLocale, type Locale } from "@rantai/ui/locales";

/** The device's language when it is one of ours ("id-ID" → id, "en-GB" → en), else Bahasa Indonesia. */
export function localeOfDevice(deviceLocales: readonly string[]): Locale {
  for (const tag of deviceLocales) {
    const language = tag.split("-")[0]?.toLowerCase();
    if (isLocale(language)) return language;
  }
  return defaultLocale;
}

/** The languages the device prefers, most preferred first. */
export function deviceLocales(): string[] {
  const fromBrowser = typeof navigator !== "undefined" && Array.isArray(navigator.languages) ? navigator.languages : [];
  return [...fromBrowser, Intl.DateTimeFormat().resolvedOptions().locale];
}

/**
 * The facility's clock. The phone sits in its facility, so the device's own zone is the
 * facility's when it is one of Indonesia's three; a device set to another zone (a phone
 * bought abroad, a test browser on UTC) shows the capital's clock, WIB, with the zone named.
 */
export function facilityZoneOf(deviceTimeZone: string | undefined): ProvinceTimeZone {
  const zones: readonly string[] = Object.values(indonesianTimeZones);
  if (deviceTimeZone && zones.includes(deviceTimeZone)) {
    const timeZone = deviceTimeZone as IndonesianTimeZone;
    return { timeZone, abbreviation: getTimeZoneAbbreviation(timeZone) };
  }
  return nationalTimeZone;
}
