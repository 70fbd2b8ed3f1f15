import { formatAgeIn, formatClockTimeIn, formatDecimalIn, formatTemperatureIn } from "@rantai/ui/locale-format";
import { useMemo } from "react";
import { useFormatter, useLocale } from "use-intl";
import { useFacilityTimeZone } from "./use-facility-time-zone";

/**
 * Numbers, temperatures, ages, days and times in the reader's language, as the console writes
 * them: `id` 1.234,5 and "1 Des 2026, 14.05 WITA"; times on the facility's clock, zone named.
 */
export function usePhoneFormat() {
  const locale = useLocale();
  const format = useFormatter();
  const clock = useFacilityTimeZone();
  return useMemo(
    () => ({
      /** Whole numbers: doses, vials. */
      count: (value: number) => format.number(value),
      decimal: (value: number) => formatDecimalIn(locale, value, 1),
      temperature: (tempC: number | null | undefined) => formatTemperatureIn(locale, tempC),
      age: (at: Date, now: Date) => formatAgeIn(locale, at, now),
      /** A calendar day the API sends as "2027-03-31" (an expiry): "31 Mar 2027", the same everywhere. */
      day: (isoDate: string) => {
        const at = new Date(`${isoDate}T00:00:00Z`);
        return Number.isNaN(at.getTime()) ? isoDate : format.dateTime(at, { dateStyle: "medium", timeZone: "UTC" });
      },
      /** "1 Des 2026, 14.05 WITA": a moment as the facility's clock showed it. */
      facilityTime: (at: Date) => formatClockTimeIn(locale, at, clock),
      /** "14.05 WIB": a moment later today (the next sync try), on the facility's clock. */
      clockTime: (at: Date) =>
        `${format.dateTime(at, { timeStyle: "short", timeZone: clock.timeZone })} ${clock.timeZoneAbbreviation}`,
    }),
    [locale, format, clock],
  );
}
