import { describe, expect, it } from "vitest";
import {
  defaultEarlyWarningConfig as config,
  decideEarlyWarning,
  estimateTrend,
  forecastBreach,
  needsEarlyWarningEvaluation,
  type StorageLimits,
  type TrendReading,
  ZEarlyWarningConfigSchema,
} from "./early-warning";

const limits: StorageLimits = { upperCentiC: 800, lowerCentiC: 200 };
const MINUTE_MS = 60_000;
const NOISE_CENTI = [0, 3, -2, 1, -3];
const T0 = Date.parse("2026-03-02T01:00:00Z");

/** One reading a minute for `minutes`, from a function of the minute (°C), with a fixed ± noise pattern. */
function series(minutes: number, tempC: (minute: number) => number): TrendReading[] {
  return Array.from({ length: minutes }, (_, minute) => ({
    ts: T0 + minute * MINUTE_MS,
    tempCentiC: Math.round(tempC(minute) * 100) + (NOISE_CENTI[minute % NOISE_CENTI.length] ?? 0),
  }));
}

/** Runs the decision after each reading, as ingest does after each flush; returns what happened. */
function replay(readings: readonly TrendReading[]) {
  const events: { minute: number; action: string; minutesLeft?: number; limit?: string }[] = [];
  let open: { limit: "upper" | "lower" } | null = null;
  for (let i = 0; i < readings.length; i += 1) {
    const seen = readings.slice(0, i + 1);
    const decision = decideEarlyWarning(estimateTrend(seen, config), open, limits, config);
    if (decision.action === "open") {
      open = { limit: decision.forecast.limit };
      events.push({ minute: i, action: "open", minutesLeft: decision.forecast.minutesLeft, limit: open.limit });
    } else if (decision.action === "end") {
      open = null;
      events.push({ minute: i, action: decision.reason });
    }
  }
  return events;
}

describe("early warning trend", () => {
  it("fits Sen's slope and the level at the latest reading, ignoring a minority of wild readings", () => {
    const readings = series(40, (minute) => 5 + minute * 0.05); // 3 °C/h
    const wild = readings.map((reading, i) => (i % 9 === 4 ? { ...reading, tempCentiC: 900 } : reading));
    for (const input of [readings, wild, [...wild].reverse()]) {
      const trend = estimateTrend(input, config);
      expect(trend?.ratePerHourCentiC).toBeGreaterThan(280);
      expect(trend?.ratePerHourCentiC).toBeLessThan(320);
      expect(trend?.levelCentiC).toBeGreaterThan(690);
      expect(trend?.levelCentiC).toBeLessThan(700);
      expect(trend?.tau).toBeGreaterThan(0.75);
    }
  });

  it("gives no trend from too few readings or too short a span", () => {
    expect(estimateTrend([], config)).toBeNull();
    expect(
      estimateTrend(
        series(3, () => 5),
        config,
      ),
    ).toBeNull();
    expect(
      estimateTrend(
        series(15, () => 5),
        config,
      ),
    ).toBeNull(); // 14 minutes < 20
    expect(
      estimateTrend(
        series(21, () => 5),
        config,
      ),
    ).not.toBeNull();
  });

  it("looks only at the window before the latest reading", () => {
    const readings = series(120, (minute) => (minute < 60 ? 2 + minute * 0.1 : 6));
    expect(Math.abs(estimateTrend(readings, config)?.ratePerHourCentiC ?? 99)).toBeLessThan(20);
  });

  it("forecasts the breach of the limit the trend heads for", () => {
    const warming = estimateTrend(
      series(30, (minute) => 5.5 + minute * 0.05),
      config,
    );
    const cooling = estimateTrend(
      series(30, (minute) => 3.5 - minute * 0.02),
      config,
    );
    if (!warming || !cooling) throw new Error("expected trends");
    expect(forecastBreach(warming, limits)).toMatchObject({ limit: "upper", limitCentiC: 800 });
    // 6.95 °C at minute 29, 3 °C/h: 21 minutes to +8 °C.
    expect(forecastBreach(warming, limits)?.minutesLeft).toBeCloseTo(21, 0);
    // 2.92 °C at minute 29, 1.2 °C/h: 46 minutes to +2 °C.
    expect(forecastBreach(cooling, limits)).toMatchObject({ limit: "lower", limitCentiC: 200 });
    expect(forecastBreach(cooling, limits)?.minutesLeft).toBeCloseTo(46, 0);
  });
});

describe("early warning decision", () => {
  it("never warns for a steady fridge", () => {
    expect(replay(series(24 * 60, (minute) => 4.5 + 0.4 * Math.sin(minute / 229)))).toEqual([]);
    expect(replay(series(6 * 60, () => 7.6))).toEqual([]);
  });

  it("warns once, well ahead, for a power cut, and ends the warning at the breach", () => {
    // Warming towards room temperature (28 °C) with a 6-hour time constant: ~3.9 °C/h at first.
    const readings = series(30 + 120, (minute) => (minute < 30 ? 4.5 : 28 - 23.5 * Math.exp(-(minute - 30) / 360)));
    const events = replay(readings);
    expect(events.map((event) => event.action)).toEqual(["open", "breached"]);
    const [opened, breached] = events;
    if (!opened || !breached) throw new Error("expected two events");
    expect(opened.limit).toBe("upper");
    expect(breached.minute - opened.minute).toBeGreaterThanOrEqual(20);
    // The straight line reaches the limit no later than the bending curve does.
    expect(opened.minute + (opened.minutesLeft ?? 0)).toBeLessThanOrEqual(breached.minute + 1);
    expect(opened.minute + (opened.minutesLeft ?? 0)).toBeGreaterThan(breached.minute - 10);
  });

  it("warns before a fridge cools below +2 °C", () => {
    const readings = series(20 + 150, (minute) => (minute < 20 ? 4.5 : -3 + 7.5 * Math.exp(-(minute - 20) / 150)));
    const events = replay(readings);
    expect(events.map((event) => [event.action, event.limit])).toEqual([
      ["open", "lower"],
      ["breached", undefined],
    ]);
  });

  it("does not take door openings (a staircase of spikes that fall back) for a trend", () => {
    // Every 9 minutes the door adds 0.4–0.6 °C, decaying with a 5-minute time constant, on top of a clinic's warm morning.
    const door = (minute: number) => {
      let heat = 0;
      for (let opening = 0; opening <= minute; opening += 9)
        heat += (0.4 + (opening % 3) * 0.1) * Math.exp(-(minute - opening) / 5);
      return heat;
    };
    expect(replay(series(4 * 60, (minute) => 5.2 + minute * 0.004 + door(minute)))).toEqual([]);
  });

  it("keeps a warning while the trend slows a little, and clears it when the trend stops", () => {
    const readings = series(200, (minute) => {
      if (minute < 30) return 4.5;
      if (minute < 60) return 4.5 + (minute - 30) * 0.06; // 3.6 °C/h to 6.3 °C
      if (minute < 80) return 6.3 + (minute - 60) * 0.04; // 2.4 °C/h: still warming
      return 7.1; // the power is back and the fridge holds
    });
    const events = replay(readings);
    expect(events.map((event) => event.action)).toEqual(["open", "cleared"]);
    expect(events[1]?.minute).toBeGreaterThan(80);
  });

  it("opens nothing when the breach is too close or too far, or the fridge is already out of range", () => {
    const far = estimateTrend(
      series(40, (minute) => 5.6 + minute * 0.004),
      config,
    ); // ~0.24 °C/h
    expect(decideEarlyWarning(far, null, limits, config)).toEqual({ action: "none" });
    const out = estimateTrend(
      series(40, (minute) => 7 + minute * 0.05),
      config,
    );
    expect(decideEarlyWarning(out, null, limits, config)).toEqual({ action: "none" });
    const close = estimateTrend(
      series(40, (minute) => 6 + minute * 0.05),
      config,
    ); // 7.95 °C, 3 °C/h: ~1 min
    expect(decideEarlyWarning(close, null, limits, config)).toEqual({ action: "none" });
  });

  it("evaluates a fridge only outside the quiet band, by its newest or previous reading", () => {
    expect(needsEarlyWarningEvaluation(450, 450, limits, config)).toBe(false);
    expect(needsEarlyWarningEvaluation(450, null, limits, config)).toBe(false);
    expect(needsEarlyWarningEvaluation(510, 450, limits, config)).toBe(true);
    expect(needsEarlyWarningEvaluation(450, 390, limits, config)).toBe(true);
  });
});

describe("early warning configuration", () => {
  it("is validated: unknown settings and out-of-range values are refused", () => {
    expect(ZEarlyWarningConfigSchema.parse({})).toEqual(config);
    expect(ZEarlyWarningConfigSchema.parse({ horizonMinutes: 60 }).horizonMinutes).toBe(60);
    expect(ZEarlyWarningConfigSchema.safeParse({ horizonMinutes: 5 }).success).toBe(false);
    expect(ZEarlyWarningConfigSchema.safeParse({ minTau: 1.5 }).success).toBe(false);
    expect(ZEarlyWarningConfigSchema.safeParse({ horizon: 60 }).success).toBe(false);
  });
});
