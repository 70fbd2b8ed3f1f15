import { type AlarmRule, isOutOfRange } from "./rules";

/**
 * The alarm clock, as a pure fold over readings in device-time order. Everything the database
 * layer does (ingest's fast path, the recomputation after late readings, a restart that picks
 * the state up from `alarm_trackers`) goes through `foldReading`, so they cannot disagree.
 *
 * Single-event semantics: an episode is a run of out-of-range readings without an in-range
 * reading in between. Its duration is (last out-of-range ts − first out-of-range ts); a gap in
 * the data does not break it (silence raises NO_DATA instead). The alarm fires at the first
 * reading where the duration reaches the rule's duration (≥: exactly 10 h fires). An in-range
 * reading ends the episode and resets the count. Cumulative time never fires.
 */

export interface AlarmReading {
  /** Device time, epoch ms. */
  ts: number;
  tempCentiC: number;
  batteryPct: number | null;
}

/** An out-of-range run as far as it has been folded. Values are in the rule's measure. */
export interface EpisodeState {
  /** First out-of-range reading. */
  startedAt: number;
  lastOutOfRangeAt: number;
  /** Highest and lowest value in the run. */
  peak: number;
  min: number;
  /** Degree-hours above +8 °C in hundredths, step-wise between consecutive readings of the run. */
  exposure: number;
  /** The run reached the rule's duration (an alarm exists for it). */
  alarmed: boolean;
}

export interface TrackerState {
  /** Device time of the latest reading folded in (null: none yet). */
  lastReadingAt: number | null;
  /** Its value (temperature or battery), needed for the next exposure step. */
  lastValue: number | null;
  episode: EpisodeState | null;
}

export type FoldEvent =
  /** The run just reached the rule's duration; `alarmAt` is the device time it did. */
  | { kind: "opened"; episode: EpisodeState; alarmAt: number }
  /** An alarmed run got longer. */
  | { kind: "updated"; episode: EpisodeState }
  /** A run (alarmed or not) ended at the in-range reading at `endedAt`. */
  | { kind: "ended"; episode: EpisodeState; endedAt: number };

export const emptyTrackerState: TrackerState = Object.freeze({ lastReadingAt: null, lastValue: null, episode: null });

/** +8.00 °C: heat exposure counts degree-hours above it, whatever the rule's own limit. */
export const HEAT_EXPOSURE_BASE_CENTI_C = 800;
const HOUR_MS = 3_600_000;

/** The value a rule looks at, or null when the reading does not carry it (no battery level). */
export function measureOf(rule: AlarmRule, reading: AlarmReading): number | null {
  return rule.measure === "temperature" ? reading.tempCentiC : reading.batteryPct;
}

/**
 * Exposure added between two consecutive readings of a run: the earlier reading's excess over
 * +8 °C held until the later one (a step function), in hundredths of a degree-hour, rounded per
 * step so that the running total is an integer and folding in parts gives the same total.
 */
export function exposureStep(previousCentiC: number, fromMs: number, toMs: number): number {
  const excess = Math.max(0, previousCentiC - HEAT_EXPOSURE_BASE_CENTI_C);
  return Math.round((excess * (toMs - fromMs)) / HOUR_MS);
}

/**
 * Folds one reading into a tracker. Readings must come in increasing ts: a reading at or before
 * `lastReadingAt` is ignored here (the database layer recomputes from stored readings instead),
 * and so is one that lacks the rule's measure.
 */
export function foldReading(
  state: TrackerState,
  reading: AlarmReading,
  rule: AlarmRule,
): { state: TrackerState; events: FoldEvent[] } {
  const value = measureOf(rule, reading);
  if (!rule.enabled || value === null) return { state, events: [] };
  if (state.lastReadingAt !== null && reading.ts <= state.lastReadingAt) return { state, events: [] };
  const { ts } = reading;
  const current = state.episode;

  if (!isOutOfRange(rule, value, current !== null)) {
    const next: TrackerState = { lastReadingAt: ts, lastValue: value, episode: null };
    return { state: next, events: current ? [{ kind: "ended", episode: current, endedAt: ts }] : [] };
  }

  const extended: EpisodeState = current
    ? {
        ...current,
        lastOutOfRangeAt: ts,
        peak: Math.max(current.peak, value),
        min: Math.min(current.min, value),
        exposure:
          current.exposure +
          (rule.measure === "temperature" && state.lastValue !== null && state.lastReadingAt !== null
            ? exposureStep(state.lastValue, state.lastReadingAt, ts)
            : 0),
      }
    : { startedAt: ts, lastOutOfRangeAt: ts, peak: value, min: value, exposure: 0, alarmed: false };

  const events: FoldEvent[] = [];
  let episode = extended;
  if (!extended.alarmed && extended.lastOutOfRangeAt - extended.startedAt >= rule.durationMs) {
    episode = { ...extended, alarmed: true };
    events.push({ kind: "opened", episode, alarmAt: ts });
  } else if (extended.alarmed) {
    events.push({ kind: "updated", episode });
  }
  return { state: { lastReadingAt: ts, lastValue: value, episode }, events };
}

/** Folds readings (already in increasing ts) one after the other. */
export function foldReadings(
  state: TrackerState,
  readings: readonly AlarmReading[],
  rule: AlarmRule,
): { state: TrackerState; events: FoldEvent[] } {
  let current = state;
  const events: FoldEvent[] = [];
  for (const reading of readings) {
    const folded = foldReading(current, reading, rule);
    current = folded.state;
    for (const event of folded.events) events.push(event);
  }
  return { state: current, events };
}

/** A finished or running out-of-range run, as reported and reconciled with stored alarms. */
export interface Episode {
  startedAt: number;
  lastOutOfRangeAt: number;
  /** The in-range reading that ended it; null while it runs. */
  endedAt: number | null;
  peak: number;
  min: number;
  exposure: number;
  durationMs: number;
  /** Device time the alarm fired (the run reached the rule's duration), or null: no alarm. */
  alarmAt: number | null;
}

/**
 * Readings in device-time order with one reading per ts, whatever order and duplication they
 * came in. Ties (two different readings with the same ts) keep the smallest by value, so the
 * result depends only on the set. (The database keeps the first one stored; recomputations
 * read from it, where ts is unique.)
 */
export function canonicalOrder(readings: readonly AlarmReading[]): AlarmReading[] {
  const sorted = [...readings].sort(
    (a, b) => a.ts - b.ts || a.tempCentiC - b.tempCentiC || (a.batteryPct ?? -1) - (b.batteryPct ?? -1),
  );
  return sorted.filter((reading, i) => i === 0 || reading.ts !== sorted[i - 1]?.ts);
}

/** Every out-of-range run in a set of readings, with the alarm it raised (if any), oldest first. */
export function detectEpisodes(
  readings: readonly AlarmReading[],
  rule: AlarmRule,
): { episodes: Episode[]; state: TrackerState } {
  const alarmAtByStart = new Map<number, number>();
  const episodes: Episode[] = [];
  const toEpisode = (episode: EpisodeState, endedAt: number | null): Episode => ({
    startedAt: episode.startedAt,
    lastOutOfRangeAt: episode.lastOutOfRangeAt,
    endedAt,
    peak: episode.peak,
    min: episode.min,
    exposure: episode.exposure,
    durationMs: episode.lastOutOfRangeAt - episode.startedAt,
    alarmAt: alarmAtByStart.get(episode.startedAt) ?? null,
  });
  let state = emptyTrackerState;
  for (const reading of canonicalOrder(readings)) {
    const folded = foldReading(state, reading, rule);
    state = folded.state;
    for (const event of folded.events) {
      if (event.kind === "opened") alarmAtByStart.set(event.episode.startedAt, event.alarmAt);
      if (event.kind === "ended") episodes.push(toEpisode(event.episode, event.endedAt));
    }
  }
  if (state.episode) episodes.push(toEpisode(state.episode, null));
  return { episodes, state };
}

/** Total out-of-range time of some runs: reported (e.g. per day), never a reason to alarm. */
export function cumulativeOutOfRangeMs(episodes: readonly Episode[]): number {
  return episodes.reduce((sum, episode) => sum + episode.durationMs, 0);
}
