import type { WallClock } from "@rantai/ui/locale-format";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";
import { facilityClockOf } from "./facility-clock";

/** A facility's province does not move: one answer an hour is plenty, and many screens ask. */
const ZONE_FRESH_FOR_MS = 60 * 60 * 1000;

/** The signed-in facility's clock (WIB, WITA or WIT of its province), whatever zone the device keeps. */
export function useFacilityTimeZone(): WallClock {
  const trpc = useTRPC();
  const { status } = useSession();
  const { data: user } = useQuery({
    ...trpc.auth.me.queryOptions(),
    enabled: status === "signed-in",
    staleTime: ZONE_FRESH_FOR_MS,
  });
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
