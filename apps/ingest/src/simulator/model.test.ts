import { describe, expect, it } from "vitest";
import {
  createRandom,
  type DeviceState,
  dailyBaselineC,
  defaultModelParams,
  hourOfDayWib,
  initialState,
  isClinicHours,
  type SimulatedReading,
  seedOf,
  step,
} from "./model";

/** A day of 10-second readings starting at 00:00 WIB (17:00 UTC the day before). */
function simulateDay(seed: number, params = defaultModelParams, days = 1) {
  const random = createRandom(seed);
  let state: DeviceState = initialState(random);
  const start = Date.parse("2025-01-30T17:00:00Z");
  const trace: { at: Date; reading: SimulatedReading; state: DeviceState }[] = [];
  for (let t = 10; t <= days * 86_400; t += 10) {
    const at = new Date(start + t * 1000);
    const next = step(state, at, 10, random, params);
    state = next.state;
    trace.push({ at, reading: next.reading, state });
  }
  return trace;
}

describe("simulator model", () => {
  it("uses WIB (UTC+7) for the daily cycle and clinic hours", () => {
    expect(hourOfDayWib(new Date("2025-01-31T01:00:00Z"))).toBe(8);
    expect(isClinicHours(new Date("2025-01-31T00:59:00Z"))).toBe(false);
    expect(isClinicHours(new Date("2025-01-31T01:00:00Z"))).toBe(true);
    expect(isClinicHours(new Date("2025-01-31T07:00:00Z"))).toBe(false);
    expect(dailyBaselineC(new Date("2025-01-31T08:00:00Z"))).toBeCloseTo(4.9, 5); // 15:00 WIB
    expect(dailyBaselineC(new Date("2025-01-30T20:00:00Z"))).toBeCloseTo(4.1, 5); // 03:00 WIB
  });

  it("is reproducible per seed and differs between devices", () => {
    const a = simulateDay(seedOf("RTS-P340401-1")).slice(0, 50);
    const again = simulateDay(seedOf("RTS-P340401-1")).slice(0, 50);
    const b = simulateDay(seedOf("RTS-P340401-2")).slice(0, 50);
    expect(again.map((x) => x.reading)).toEqual(a.map((x) => x.reading));
    expect(b.map((x) => x.reading)).not.toEqual(a.map((x) => x.reading));
  });

  it("stays near +4.5 °C on a quiet night and spikes only in clinic hours", () => {
    const quiet = { ...defaultModelParams, warmEpisodesPerHour: 0, coldDipsPerHour: 0 };
    for (const seed of [1, 2, 3]) {
      const trace = simulateDay(seed, quiet);
      const night = trace.filter((x) => !isClinicHours(x.at) && hourOfDayWib(x.at) < 7 && hourOfDayWib(x.at) > 1);
      const clinic = trace.filter((x) => isClinicHours(x.at));
      for (const x of night) {
        expect(x.reading.tempC).toBeGreaterThan(3.5);
        expect(x.reading.tempC).toBeLessThan(5.5);
      }
      expect(Math.max(...clinic.map((x) => x.reading.tempC))).toBeGreaterThan(5.5);
      const mean = trace.reduce((sum, x) => sum + x.reading.tempC, 0) / trace.length;
      expect(mean).toBeGreaterThan(4);
      expect(mean).toBeLessThan(5.5);
    }
  });

  it("has warm episodes up to ~9-10 °C and cold dips to ~0 °C that end", () => {
    const eventful = { ...defaultModelParams, warmEpisodesPerHour: 0.5, coldDipsPerHour: 0.3 };
    const trace = simulateDay(7, eventful, 3);
    const temps = trace.map((x) => x.reading.tempC);
    expect(Math.max(...temps)).toBeGreaterThan(8.5);
    expect(Math.max(...temps)).toBeLessThan(11);
    expect(Math.min(...temps)).toBeLessThan(1);
    expect(Math.min(...temps)).toBeGreaterThan(-1.5);
    expect(trace.filter((x) => x.state.episode.kind === "warm").length).toBeLessThan(trace.length / 2);
    const ended = trace.some((x, i) => x.state.episode.kind === "warm" && trace[i + 1]?.state.episode.kind === "none");
    expect(ended).toBe(true);
  });

  it("drains the battery slowly and counts seq up", () => {
    const trace = simulateDay(11);
    const batteries = trace.map((x) => x.state.batteryPct);
    for (let i = 1; i < batteries.length; i += 1) expect(batteries[i]).toBeLessThanOrEqual(batteries[i - 1] ?? 100);
    expect((batteries[0] ?? 0) - (batteries.at(-1) ?? 0)).toBeCloseTo(0.5, 1);
    expect(trace.map((x) => x.reading.seq).slice(0, 3)).toEqual([1, 2, 3]);
    for (const x of trace) expect(Number.isInteger(x.reading.batteryPct)).toBe(true);
  });
});
