import { describe, expect, it } from "vitest";
import { chartGeometry } from "./chart-geometry";
import { type ChartSeries, seriesExtremes, timeOutOfRangeMs } from "./chart-series";

const HOUR = 3_600_000;
const from = Date.parse("2026-12-04T17:00:00.000Z"); // midnight WIB

function raw(temps: number[], stepMs = 30 * 60_000): ChartSeries {
  return {
    from,
    to: from + 24 * HOUR,
    resolution: "raw",
    timeZone: "Asia/Jakarta",
    timeZoneAbbreviation: "WIB",
    times: temps.map((_, index) => from + index * stepMs),
    avgC: temps,
    minC: null,
    maxC: null,
    band: { minC: 2, maxC: 8 },
  };
}

describe("the phone's chart figures", () => {
  it("finds the lowest and highest reading with their times", () => {
    const extremes = seriesExtremes(raw([5, 9.5, 4, 1.5, 6]));
    expect(extremes).toEqual({
      min: { tempC: 1.5, at: from + 3 * 30 * 60_000 },
      max: { tempC: 9.5, at: from + 30 * 60_000 },
    });
    expect(seriesExtremes(raw([]))).toBeNull();
  });

  it("takes the rollups' own minimum and maximum, not their averages", () => {
    const hourly: ChartSeries = { ...raw([5, 6]), resolution: "hourly", minC: [4, 1], maxC: [10, 7] };
    expect(seriesExtremes(hourly)).toMatchObject({ min: { tempC: 1 }, max: { tempC: 10 } });
  });

  it("counts the time outside +2…+8 °C, the limits themselves in range, and no time across a silent gap", () => {
    // Half-hour readings: 9 and 1.5 are out (one step each), 8 and 2 are in range.
    expect(timeOutOfRangeMs(raw([5, 9, 8, 1.5, 2, 5]))).toBe(HOUR);
    // The last reading stands for nothing; a 5-hour gap counts an hour at most.
    const gap = { ...raw([9, 9]), times: [from, from + 5 * HOUR] };
    expect(timeOutOfRangeMs(gap)).toBe(HOUR);
    const hourly: ChartSeries = {
      ...raw([9, 5, -1]),
      resolution: "hourly",
      times: [from, from + HOUR, from + 2 * HOUR],
    };
    expect(timeOutOfRangeMs(hourly)).toBe(2 * HOUR);
  });

  it("lays the band, the line and the ticks out in the box, breaking the line where the sensor was silent", () => {
    const series = { ...raw([5, 6, 7]), times: [from, from + 30 * 60_000, from + 6 * HOUR] };
    const box = { width: 340, height: 200, left: 30, right: 10, top: 10, bottom: 30 };
    const geometry = chartGeometry(series, box, 7 * 60);
    expect(geometry.x(from)).toBe(30);
    expect(geometry.x(from + 24 * HOUR)).toBe(330);
    // Axis from 0 to 10 °C (band ± 2): 8 °C at a fifth of the plot's height from the top.
    expect(geometry.band).toEqual({ top: 10 + 32, bottom: 10 + 128 });
    expect(geometry.line.match(/M/g)).toHaveLength(2);
    expect(geometry.envelope).toBe("");
    // Every 6 hours from midnight on the facility's clock.
    expect(geometry.timeTicks).toEqual([0, 6, 12, 18, 24].map((hours) => from + hours * HOUR));
    expect(geometry.temperatureTicks).toEqual([0, 2, 4, 6, 8, 10]);
  });
});
