/**
 * How old a screen's data is, for "data from 5 min ago": the catalog words each kind. Under a
 * minute is "just now", so the line does not tick every second after each pull.
 */
export type DataAge =
  | { kind: "never" }
  | { kind: "justNow" }
  | { kind: "minutes"; minutes: number }
  | { kind: "hours"; hours: number }
  | { kind: "days"; days: number };

const MINUTE_MS = 60_000;

/** The age of data fetched at `fetchedAt` (device time, ms; undefined: never fetched) seen at `now`. */
export function dataAgeOf(fetchedAt: number | undefined, now: number): DataAge {
  if (fetchedAt === undefined) return { kind: "never" };
  const minutes = Math.floor(Math.max(0, now - fetchedAt) / MINUTE_MS);
  if (minutes < 1) return { kind: "justNow" };
  if (minutes < 60) return { kind: "minutes", minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { kind: "hours", hours };
  return { kind: "days", days: Math.floor(hours / 24) };
}

/** The oldest of several datasets' fetch times: a screen showing several is as old as its oldest. */
export function oldestFetch(times: readonly (number | undefined)[]): number | undefined {
  if (times.length === 0 || times.some((time) => time === undefined)) return undefined;
  return Math.min(...times.filter((time) => time !== undefined));
}
