import type { Locale } from "./i18n";

/**
 * Numbers and ages in the reader's language, through the platform's Intl (CLDR data): `id`
 * writes 1.234,5 and "3 menit yang lalu", `en` 1,234.5 and "3 minutes ago".
 */

const decimalFormats = new Map<string, Intl.NumberFormat>();

function decimalFormat(locale: Locale, fractionDigits: number): Intl.NumberFormat {
  const key = `${locale}:${fractionDigits}`;
  let format = decimalFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    decimalFormats.set(key, format);
  }
  return format;
}

/** "4,6 °C" (id) or "4.6 °C" (en); "—" when there is no reading. */
export function formatTemperatureIn(locale: Locale, tempC: number | null | undefined): string {
  if (tempC === null || tempC === undefined || !Number.isFinite(tempC)) return "—";
  return `${decimalFormat(locale, 1).format(tempC)} °C`;
}

/** A number with a fixed count of decimals: "−1,0" (id), "-1.0" (en). */
export function formatDecimalIn(locale: Locale, value: number, fractionDigits = 1): string {
  return decimalFormat(locale, fractionDigits).format(value);
}

/** How old something is, rounded the way people say it: seconds as "now", then minutes, hours, days. */
export function ageOf(at: Date, now: Date): { value: number; unit: "second" | "minute" | "hour" | "day" } {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 45) return { value: 0, unit: "second" };
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return { value: minutes, unit: "minute" };
  const hours = Math.round(minutes / 60);
  if (hours < 48) return { value: hours, unit: "hour" };
  return { value: Math.round(hours / 24), unit: "day" };
}

/** "sekarang", "3 menit yang lalu", "2 jam yang lalu" (id); "now", "3 minutes ago" (en). */
export function formatAgeIn(locale: Locale, at: Date, now: Date = new Date()): string {
  const { value, unit } = ageOf(at, now);
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-value, unit);
}

/** A place's wall clock as the API describes it: the IANA zone and what people write after a time. */
export interface WallClock {
  timeZone: string;
  timeZoneAbbreviation: string;
}

/**
 * "1 Des 2026, 08.00 WITA" (id), "Dec 1, 2026, 8:00 AM WITA" (en): a moment as that clock showed it,
 * zone named, so a reader in Jakarta and a device set to UTC both see the facility's own time.
 */
export function formatClockTimeIn(locale: Locale, at: Date, clock: WallClock): string {
  const time = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: clock.timeZone });
  return `${time.format(at)} ${clock.timeZoneAbbreviation}`;
}
