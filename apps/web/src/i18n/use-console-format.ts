"use client";

import {
  formatAgeIn,
  formatClockTimeIn,
  formatDecimalIn,
  formatTemperatureIn,
  type WallClock,
} from "@rantai/ui/locale-format";
import { useFormatter, useLocale } from "next-intl";
import { useMemo } from "react";

/** A facility's clock, as the API describes it. */
export type FacilityClock = WallClock;

/** The capital's clock: moments with no facility of their own. */
const capitalClock: WallClock = { timeZone: "Asia/Jakarta", timeZoneAbbreviation: "WIB" };

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
      /** "1 Des 2026" on the capital's clock: a day with no facility of its own. */
      date: (at: Date) => format.dateTime(at, { dateStyle: "medium", timeZone: "Asia/Jakarta" }),
      /** "1 Des 2026, 14.05 WIB": a moment with no facility of its own, on the capital's clock, zone named. */
      dateTime: (at: Date) => formatClockTimeIn(locale, at, capitalClock),
      /**
       * "1 Des 2026, 14.05 WITA": a moment as the facility's clock showed it. The API sends each
       * facility's zone (core's province rule), so no domain code is shipped to the browser.
       */
      facilityTime: (at: Date, facility: FacilityClock) => formatClockTimeIn(locale, at, facility),
    }),
    [locale, format],
  );
}
