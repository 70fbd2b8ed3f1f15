import type { WallClock } from "@rantai/ui/locale-format";
import { facilityZoneOf } from "./device-locale";

/**
 * The clock the phone shows times on: the facility's, as the server names it for the signed-in
 * user (`auth.me`, from the facility's province). Until that answer is at hand (signed out, or
 * offline before the first answer) the device's own zone stands in when it is one of
 * Indonesia's, else WIB; the zone is always named, so a stand-in is never mistaken for it.
 */
export function facilityClockOf(
  signedInUser: WallClock | null | undefined,
  deviceTimeZone: string | undefined,
): WallClock {
  if (signedInUser) {
    return { timeZone: signedInUser.timeZone, timeZoneAbbreviation: signedInUser.timeZoneAbbreviation };
  }
  const zone = facilityZoneOf(deviceTimeZone);
  return { timeZone: zone.timeZone, timeZoneAbbreviation: zone.abbreviation };
}
