import type { WallClock } from "@rantai/ui/locale-format";
import { useMemo } from "react";
import { useSession } from "@/session/session-provider";
import { facilityClockOf } from "./facility-clock";

/**
 * The signed-in facility's clock (WIB, WITA or WIT of its province), whatever zone the device
 * keeps: from the user kept on the phone (sign-in, refreshed by `auth.me` when online), so it
 * holds offline and after a restart too.
 */
export function useFacilityTimeZone(): WallClock {
  const { user } = useSession();
  const timeZone = user?.timeZone;
  const timeZoneAbbreviation = user?.timeZoneAbbreviation;
  return useMemo(
    () =>
      facilityClockOf(
        timeZone && timeZoneAbbreviation ? { timeZone, timeZoneAbbreviation } : null,
        Intl.DateTimeFormat().resolvedOptions().timeZone,
      ),
    [timeZone, timeZoneAbbreviation],
  );
}
