import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AlarmReading,
  canonicalOrder,
  cumulativeOutOfRangeMs,
  detectEpisodes,
  emptyTrackerState,
  exposureStep,
  type FoldEvent,
  foldReading,
  foldReadings,
} from "./episodes";
import { type AlarmRule, defaultAlarmRules, isOutOfRange } from "./rules";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 0, 31, 0, 0, 0);
const { heat, freeze, excursion, low_battery: lowBattery } = defaultAlarmRules;

/** Readings every `stepMin` minutes from `start`, one per temperature. */
function series(temps: readonly number[], stepMin = 10, start = T0): AlarmReading[] {
  return temps.map((tempCentiC, i) => ({ ts: start + i * stepMin * MIN, tempCentiC, batteryPct: null }));
}
const repeat = (value: number, n: number) => Array.from({ length: n }, () => value);
const alarmed = (readings: AlarmReading[], rule: AlarmRule) =>
  detectEpisodes(readings, rule).episodes.filter((episode) => episode.alarmAt !== null);

describe("comparisons at the limits (default rules)", () => {
  it.each([
    // rule, value, out of range?
    ["heat", 800, false],
    ["heat", 801, true],
    ["heat", 799, false],
    ["freeze", -50, true],
    ["freeze", -49, false],
    ["freeze", -51, true],
    ["excursion", 200, false],
    ["excursion", 199, true],
    ["excursion", 800, false],
    ["excursion", 801, true],
    ["low_battery", 20, false],
    ["low_battery", 19, true],
  ] as const)("%s: %i is out of range: %s", (type, value, out) => {
    expect(isOutOfRange(defaultAlarmRules[type], value, false)).toBe(out);
  });

  it.each([
    [19, true],
    [20, true],
    [24, true],
    [25, false],
  ] as const)("low battery inside an episode: %i%% keeps it going: %s", (value, out) => {
    expect(isOutOfRange(lowBattery, value, true)).toBe(out);
  });

  it("inclusivity is a setting: an inclusive heat limit makes +8.00 °C out of range", () => {
    const inclusive = { ...heat, above: { value: 800, inclusive: true } };
    expect(isOutOfRange(inclusive, 800, false)).toBe(true);
    expect(isOutOfRange(inclusive, 799, false)).toBe(false);
  });
});

describe("opened time: the device time the run reached the rule's duration", () => {
  const at = (minutes: readonly number[], value: number): AlarmReading[] =>
    minutes.map((m) => ({ ts: T0 + m * MIN, tempCentiC: value, batteryPct: value }));
  const every = (stepMin: number, count: number) => Array.from({ length: count }, (_, i) => i * stepMin);
  it.each([
    // rule, minutes of the out-of-range readings, value, opened at (minutes after the start) or null
    ["heat", every(10, 61), 850, 600],
    ["heat", every(10, 60), 850, null],
    ["heat", [0, 590, 610], 850, 610],
    ["heat", [0, 599, 600, 601], 801, 600],
    ["freeze", every(10, 7), -50, 60],
    ["freeze", every(7, 10), -50, 63],
    ["freeze", every(10, 6), -50, null],
    ["excursion", every(10, 7), 150, 60],
    ["excursion", every(15, 5), 850, 60],
    ["low_battery", [0, 10], 19, 0],
  ] as const)("%s, readings at %j min, value %i: opened at %s min", (type, minutes, value, openedAfter) => {
    const rule = defaultAlarmRules[type];
    const [episode] = detectEpisodes(at(minutes, value), rule).episodes;
    expect(episode?.startedAt).toBe(T0);
    expect(episode?.alarmAt).toBe(openedAfter === null ? null : T0 + openedAfter * MIN);
    // Aligned readings open exactly at start + the rule's duration; never before it.
    if (episode?.alarmAt != null) expect(episode.alarmAt - episode.startedAt).toBeGreaterThanOrEqual(rule.durationMs);
  });
});

describe("HEAT: above +8.0 °C for 10 h without a break", () => {
  it("fires at exactly 10 h, at the reading that reaches it", () => {
    const readings = series([...repeat(850, 61), 500]); // 0 … 600 min out, then back in range
    const [episode, ...more] = detectEpisodes(readings, heat).episodes;
    expect(more).toEqual([]);
    expect(episode).toMatchObject({
      startedAt: T0,
      lastOutOfRangeAt: T0 + 10 * HOUR,
      endedAt: T0 + 10 * HOUR + 10 * MIN,
      alarmAt: T0 + 10 * HOUR,
      durationMs: 10 * HOUR,
      peak: 850,
      min: 850,
    });
  });

  it("does not fire at 9 h 59 min at +8.5 °C", () => {
    const readings = series([...repeat(850, 600), 500], 1); // 0 … 599 min out
    expect(alarmed(readings, heat)).toEqual([]);
    const [episode] = detectEpisodes(readings, heat).episodes;
    expect(episode?.durationMs).toBe(9 * HOUR + 59 * MIN);
  });

  it("a 1-minute return to +7.9 °C resets the count", () => {
    const out = series(repeat(850, 55)); // 9 h
    const back = { ts: T0 + 9 * HOUR + 1 * MIN, tempCentiC: 790, batteryPct: null };
    const again = series(repeat(850, 55), 10, T0 + 9 * HOUR + 2 * MIN);
    const { episodes } = detectEpisodes([...out, back, ...again], heat);
    expect(episodes).toHaveLength(2);
    expect(episodes.every((episode) => episode.alarmAt === null)).toBe(true);
  });

  it("a gap in the data does not reset it (the silence is NO_DATA's business)", () => {
    const readings = [
      { ts: T0, tempCentiC: 900, batteryPct: null },
      { ts: T0 + 11 * HOUR, tempCentiC: 900, batteryPct: null },
    ];
    expect(alarmed(readings, heat)).toMatchObject([{ startedAt: T0, alarmAt: T0 + 11 * HOUR, endedAt: null }]);
  });

  it("Berlinger: 20 h above +8 °C in one day, in runs under 10 h, gives no alarm", () => {
    // Three runs of 6 h 40 min (41 readings 10 min apart), each followed by one in-range reading.
    const run = [...repeat(900, 41), 600];
    const readings = series([...run, ...run, ...run]);
    const { episodes } = detectEpisodes(readings, heat);
    expect(episodes).toHaveLength(3);
    expect(cumulativeOutOfRangeMs(episodes)).toBe(20 * HOUR);
    expect(alarmed(readings, heat)).toEqual([]);
  });

  it("reports heat exposure step-wise, rounded per step", () => {
    // +9.0 °C for an hour at 10-minute steps, then +12.0 °C for 30 min.
    const readings = series([...repeat(900, 7), 1200, 1200, 1200, 500]);
    const [episode] = detectEpisodes(readings, heat).episodes;
    const exact = (100 * 60 + 100 * 10 + 400 * 20) / 60; // centi-degree-hours: 100 × 1 h, 100 × 10 min, 400 × 20 min
    expect(episode?.exposure).toBe(6 * 17 + 17 + 2 * 67);
    expect(Math.abs((episode?.exposure ?? 0) - exact)).toBeLessThanOrEqual(0.5 * 9);
    expect(exposureStep(900, 0, HOUR)).toBe(100);
    expect(exposureStep(790, 0, HOUR)).toBe(0);
  });
});

describe("FREEZE: at or below −0.5 °C for 60 min without a break", () => {
  it("fires at exactly 60 min with −0.50 °C itself counting", () => {
    const readings = series([...repeat(-50, 7), 300]);
    expect(alarmed(readings, freeze)).toMatchObject([
      { startedAt: T0, alarmAt: T0 + HOUR, endedAt: T0 + 70 * MIN, min: -50, durationMs: HOUR },
    ]);
  });

  it("does not fire at 59 min, nor at −0.49 °C", () => {
    expect(alarmed(series([...repeat(-200, 60), 300], 1), freeze)).toEqual([]);
    expect(alarmed(series(repeat(-49, 20)), freeze)).toEqual([]);
  });

  it("Berlinger: 3.5 h below −0.5 °C in pieces under 1 h gives no alarm", () => {
    // Seven pieces of 30 min (4 readings 10 min apart), each followed by an in-range reading.
    const piece = [...repeat(-100, 4), 300];
    const readings = series(Array.from({ length: 7 }, () => piece).flat());
    const { episodes } = detectEpisodes(readings, freeze);
    expect(episodes).toHaveLength(7);
    expect(cumulativeOutOfRangeMs(episodes)).toBe(3.5 * HOUR);
    expect(alarmed(readings, freeze)).toEqual([]);
  });
});

describe("EXCURSION warning: outside +2…+8 °C for 60 min", () => {
  it.each([
    ["+1.99 °C", 199, true],
    ["+2.00 °C", 200, false],
    ["+8.00 °C", 800, false],
    ["+8.01 °C", 801, true],
  ] as const)("an hour at %s warns: %s", (_label, value, warns) => {
    expect(alarmed(series(repeat(value, 7)), excursion).length > 0).toBe(warns);
  });

  it("a cold run and a warm run with no in-range reading between are one excursion", () => {
    const readings = series([150, 150, 150, 900, 900, 900, 900]);
    expect(alarmed(readings, excursion)).toMatchObject([{ startedAt: T0, peak: 900, min: 150, alarmAt: T0 + HOUR }]);
  });
});

describe("LOW_BATTERY: below 20 %, cleared at 25 % (hysteresis)", () => {
  const battery = (levels: readonly (number | null)[]) =>
    levels.map((batteryPct, i) => ({ ts: T0 + i * 10 * MIN, tempCentiC: 500, batteryPct }));

  it("fires at once below 20 % and clears only at 25 %", () => {
    const { episodes } = detectEpisodes(battery([21, 19, 22, null, 24, 25, 22, 19]), lowBattery);
    expect(episodes).toEqual([
      {
        startedAt: T0 + 10 * MIN,
        lastOutOfRangeAt: T0 + 40 * MIN,
        endedAt: T0 + 50 * MIN,
        peak: 24,
        min: 19,
        exposure: 0,
        durationMs: 30 * MIN,
        alarmAt: T0 + 10 * MIN,
      },
      {
        startedAt: T0 + 70 * MIN,
        lastOutOfRangeAt: T0 + 70 * MIN,
        endedAt: null,
        peak: 19,
        min: 19,
        exposure: 0,
        durationMs: 0,
        alarmAt: T0 + 70 * MIN,
      },
    ]);
  });

  it("readings without a battery level leave the battery tracker alone", () => {
    const state = foldReading(emptyTrackerState, { ts: T0, tempCentiC: 500, batteryPct: null }, lowBattery);
    expect(state).toEqual({ state: emptyTrackerState, events: [] });
  });
});

describe("foldReading", () => {
  it("emits opened, then updated, then ended for an alarmed run", () => {
    const { events } = foldReadings(emptyTrackerState, series([-60, -60, -60, -60, -60, -60, -60, -60, 400]), freeze);
    expect(events.map((event) => event.kind)).toEqual(["opened", "updated", "ended"]);
    const ended = events.at(-1) as Extract<FoldEvent, { kind: "ended" }>;
    expect(ended.endedAt).toBe(T0 + 80 * MIN);
    expect(ended.episode.alarmed).toBe(true);
  });

  it("ignores a reading at or before the latest one folded in (the database layer recomputes)", () => {
    const { state } = foldReadings(emptyTrackerState, series([900, 900]), heat);
    expect(foldReading(state, { ts: T0 + 10 * MIN, tempCentiC: 100, batteryPct: null }, heat)).toEqual({
      state,
      events: [],
    });
    expect(foldReading(state, { ts: T0, tempCentiC: 100, batteryPct: null }, heat).state).toBe(state);
  });

  it("does nothing for a disabled rule", () => {
    const disabled = { ...heat, enabled: false };
    expect(foldReadings(emptyTrackerState, series(repeat(1500, 100)), disabled)).toEqual({
      state: emptyTrackerState,
      events: [],
    });
  });
});

// ── properties ────────────────────────────────────────────────────────────────────────────

const ruleArb: fc.Arbitrary<AlarmRule> = fc.oneof(
  fc.constant(heat),
  fc.constant(freeze),
  fc.constant(excursion),
  fc.constant(lowBattery),
  // Shorter durations so that random series actually alarm.
  fc
    .record({
      base: fc.constantFrom(heat, freeze, excursion, lowBattery),
      durationMs: fc.integer({ min: 0, max: 6 }).map((n) => n * 10 * MIN),
    })
    .map(({ base, durationMs }) => ({ ...base, durationMs })),
);

/** Readings on a 5-minute grid (so duplicates and exact thresholds happen), temps around the limits. */
const readingsArb = fc
  .uniqueArray(
    fc.record({
      slot: fc.integer({ min: 0, max: 300 }),
      tempCentiC: fc.oneof(fc.integer({ min: -150, max: 1100 }), fc.constantFrom(-51, -50, -49, 199, 200, 800, 801)),
      batteryPct: fc.option(fc.integer({ min: 10, max: 30 }), { nil: null }),
    }),
    { selector: (reading) => reading.slot, maxLength: 120 },
  )
  .map((list) => list.map(({ slot, ...rest }) => ({ ts: T0 + slot * 5 * MIN, ...rest })).sort((a, b) => a.ts - b.ts));

describe("properties", () => {
  it("any permutation or duplication of the same readings gives the same episodes", () => {
    fc.assert(
      fc.property(
        readingsArb,
        ruleArb,
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.integer(),
        (readings, rule, dupIndexes, seed) => {
          const duplicated = [
            ...readings,
            ...dupIndexes.flatMap((i) => (readings.length ? [readings[i % readings.length]] : [])),
          ];
          const shuffled = shuffle(
            duplicated.filter((reading) => reading !== undefined),
            seed,
          );
          expect(detectEpisodes(shuffled, rule)).toEqual(detectEpisodes(readings, rule));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("folding in two parts (a restart, two flushes) equals folding in one", () => {
    fc.assert(
      fc.property(readingsArb, ruleArb, fc.nat(), (readings, rule, cut) => {
        const at = readings.length === 0 ? 0 : cut % (readings.length + 1);
        const whole = foldReadings(emptyTrackerState, readings, rule);
        const first = foldReadings(emptyTrackerState, readings.slice(0, at), rule);
        // The state goes through JSON as it would through alarm_trackers.
        const restored = JSON.parse(JSON.stringify(first.state));
        const second = foldReadings(restored, readings.slice(at), rule);
        expect(second.state).toEqual(whole.state);
        expect([...first.events, ...second.events]).toEqual(whole.events);
      }),
      { numRuns: 300 },
    );
  });

  it("alarms exactly the runs that last at least the rule's duration, at the first reading reaching it", () => {
    fc.assert(
      fc.property(readingsArb, ruleArb, (readings, rule) => {
        const { episodes } = detectEpisodes(readings, rule);
        for (const episode of episodes) {
          expect(episode.alarmAt !== null).toBe(episode.durationMs >= rule.durationMs);
          const { alarmAt } = episode;
          if (alarmAt === null) continue;
          expect(alarmAt - episode.startedAt).toBeGreaterThanOrEqual(rule.durationMs);
          const earlier = readings.filter(
            (reading) => reading.ts >= episode.startedAt && reading.ts < alarmAt && measure(rule, reading) !== null,
          );
          expect(earlier.every((reading) => reading.ts - episode.startedAt < rule.durationMs)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("temperature runs are the maximal runs of out-of-range readings (reference model)", () => {
    fc.assert(
      fc.property(readingsArb, fc.constantFrom(heat, freeze, excursion), (readings, rule) => {
        const runs: { start: number; last: number; end: number | null; peak: number; min: number }[] = [];
        let open: (typeof runs)[number] | null = null;
        for (const reading of readings) {
          if (isOutOfRange(rule, reading.tempCentiC, false)) {
            if (open) {
              open.last = reading.ts;
              open.peak = Math.max(open.peak, reading.tempCentiC);
              open.min = Math.min(open.min, reading.tempCentiC);
            } else {
              open = {
                start: reading.ts,
                last: reading.ts,
                end: null,
                peak: reading.tempCentiC,
                min: reading.tempCentiC,
              };
              runs.push(open);
            }
          } else if (open) {
            open.end = reading.ts;
            open = null;
          }
        }
        const { episodes } = detectEpisodes(readings, rule);
        expect(
          episodes.map(({ startedAt, lastOutOfRangeAt, endedAt, peak, min }) => ({
            start: startedAt,
            last: lastOutOfRangeAt,
            end: endedAt,
            peak,
            min,
          })),
        ).toEqual(runs);
      }),
      { numRuns: 300 },
    );
  });

  it("heat exposure is never negative and never shrinks within a run", () => {
    fc.assert(
      fc.property(readingsArb, ruleArb, (readings, rule) => {
        let state = emptyTrackerState;
        for (const reading of readings) {
          const before = state.episode;
          state = foldReading(state, reading, rule).state;
          if (state.episode) expect(state.episode.exposure).toBeGreaterThanOrEqual(0);
          if (before && state.episode && state.episode.startedAt === before.startedAt) {
            expect(state.episode.exposure).toBeGreaterThanOrEqual(before.exposure);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("canonicalOrder keeps one reading per ts, in order", () => {
    fc.assert(
      fc.property(readingsArb, fc.integer(), (readings, seed) => {
        const ordered = canonicalOrder(shuffle([...readings, ...readings], seed));
        expect(ordered).toEqual(readings);
      }),
    );
  });
});

function measure(rule: AlarmRule, reading: AlarmReading): number | null {
  return rule.measure === "temperature" ? reading.tempCentiC : reading.batteryPct;
}

/** A deterministic Fisher–Yates shuffle driven by a seed (fast-check shrinks the seed). */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let x = seed | 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
