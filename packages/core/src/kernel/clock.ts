/**
 * Server time, passed in wherever a decision depends on it (alarm evaluation, the NO_DATA
 * check), so that tests run hours of clock time in seconds without touching the global clock.
 * Device time never comes from here: it is each reading's own `ts`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to (tests, simulations). */
export function createManualClock(
  start: Date | number,
): Clock & { advance(ms: number): Date; set(at: Date | number): void } {
  let current = typeof start === "number" ? start : start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
      return new Date(current);
    },
    set(at: Date | number) {
      current = typeof at === "number" ? at : at.getTime();
    },
  };
}
