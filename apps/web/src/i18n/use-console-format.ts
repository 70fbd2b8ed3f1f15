"use client";

import { getTimeZoneAbbreviation, type IndonesianTimeZone } from "@rantai/core/rules";
import { formatAgeIn, formatDecimalIn, formatTemperatureIn } from "@rantai/ui/locale-format";
import { useFormatter, useLocale } from "next-intl";
import { useMemo } from "react";

/**
 * Numbers, temperatures, ages and times in the reader's language: `id` writes 1.234,5 and
 * "1 Des 2026, 14.05 WITA". A facility's times are on its province's clock, zone named.
 */
export function useConsoleFormat() {
  const locale = useLocale();
  const format = useFormatter();
  return useMemo(
    () => ({
      /** Whole numbers: doses, counts. */
      count: (value: number) => format.number(value),
      decimal: (value: number) => formatDecimalIn(locale, value, 1),
      temperature: (tempC: number | null | undefined) => formatTemperatureIn(locale, tempC),
      age: (at: Date, now: Date) => formatAgeIn(locale, at, now),
      /** "1 Des 2026, 14.05 WITA": a moment as the facility's clock showed it. */
      facilityTime: (at: Date, timeZone: IndonesianTimeZone) =>
        `${format.dateTime(at, { dateStyle: "medium", timeStyle: "short", timeZone })} ${getTimeZoneAbbreviation(timeZone)}`,
    }),
    [locale, format],
  );
}
