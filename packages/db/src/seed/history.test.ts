import { describe, expect, it } from "vitest";
import {
  aggregateHours,
  buildProfile,
  floorToInterval,
  type GeneratedReading,
  generateReadings,
  READING_INTERVAL_MS,
  READINGS_PER_DAY,
  softLimit,
} from "./history";

const end = floorToInterval(new Date("2026-03-02T05:17:00Z"));

/** Minutes spent beyond a limit, counting each 10-min reading as one interval. */
function minutesWhere(readings: GeneratedReading[], test: (celsius: number) => boolean): number {
  return readings.filter((reading) => test(reading.tempCentiC / 100)).length * 10;
}

describe("generateReadings", () => {
  const profile = buildProfile("RTS-P340101-1", "vestfrost", end);
  const week = generateReadings(profile, end, 7 * READINGS_PER_DAY);

  it("gives one reading every 10 minutes, oldest first, ending at the floored end", () => {
    expect(week).toHaveLength(1008);
    expect(week.at(-1)?.ts).toEqual(new Date("2026-03-02T05:10:00Z"));
    for (let i = 1; i < week.length; i++) {
      const [previous, current] = [week[i - 1], week[i]];
      expect((current?.ts.getTime() ?? 0) - (previous?.ts.getTime() ?? 0)).toBe(READING_INTERVAL_MS);
      expect((current?.seq ?? 0) - (previous?.seq ?? 0)).toBe(1);
    }
  });

  it("is deterministic and does not depend on where the window starts", () => {
    expect(generateReadings(profile, end, 7 * READINGS_PER_DAY)).toEqual(week);
    const lastDay = generateReadings(profile, end, READINGS_PER_DAY);
    expect(lastDay).toEqual(week.slice(-READINGS_PER_DAY));
  });

  it("keeps an ordinary fridge inside +2…+8 °C around 4.5–5 °C, with integer hundredths", () => {
    const temps = week.map((reading) => reading.tempCentiC);
    expect(temps.every(Number.isInteger)).toBe(true);
    expect(Math.min(...temps)).toBeGreaterThanOrEqual(250);
    expect(Math.max(...temps)).toBeLessThanOrEqual(770);
    const mean = temps.reduce((sum, t) => sum + t, 0) / temps.length;
    expect(mean).toBeGreaterThan(420);
    expect(mean).toBeLessThan(560);
  });

  it("opens the door in clinic hours only (08:00–14:00 WIB)", () => {
    // The biggest jump between two readings is a door opening: it must fall in clinic hours.
    let biggest = { rise: 0, hourWib: 0 };
    for (let i = 1; i < week.length; i++) {
      const rise = (week[i]?.tempCentiC ?? 0) - (week[i - 1]?.tempCentiC ?? 0);
      const hourWib = ((week[i]?.ts.getUTCHours() ?? 0) + 7) % 24;
      if (rise > biggest.rise) biggest = { rise, hourWib };
    }
    expect(biggest.rise).toBeGreaterThan(50);
    expect(biggest.hourWib).toBeGreaterThanOrEqual(8);
    expect(biggest.hourWib).toBeLessThan(15);
  });

  it("reports battery and upload times sensibly", () => {
    for (const reading of week) {
      expect(reading.batteryPct).toBeGreaterThanOrEqual(40);
      expect(reading.batteryPct).toBeLessThanOrEqual(100);
      expect(reading.receivedAt.getTime()).toBeGreaterThan(reading.ts.getTime());
      expect(reading.receivedAt.getTime() - reading.ts.getTime()).toBeLessThanOrEqual(40_000);
    }
  });
});

describe("planted episodes", () => {
  const week = (deviceId: string, model: "vestfrost" | "ilr" = "vestfrost") =>
    generateReadings(buildProfile(deviceId, model, end), end, 7 * READINGS_PER_DAY);
  /** The readings from `fromHours` to `toHours` before the end. */
  const between = (readings: GeneratedReading[], fromHours: number, toHours: number) =>
    readings.filter(
      (reading) =>
        reading.ts.getTime() >= end.getTime() - fromHours * 3_600_000 &&
        reading.ts.getTime() < end.getTime() - toHours * 3_600_000,
    );

  it("warms the Depok fridge to ~9.5 °C for about 3 hours, then above +8 °C for the last 12 hours", () => {
    const readings = week("RTS-P340407-1");
    const door = between(readings, 48, 36);
    expect(minutesWhere(door, (celsius) => celsius > 8)).toBeGreaterThanOrEqual(150);
    expect(minutesWhere(door, (celsius) => celsius > 8)).toBeLessThanOrEqual(200);
    const powerCut = between(readings, 14, -1);
    // HEAT needs 10 h above +8 °C: the run is still going at the end.
    expect(minutesWhere(powerCut, (celsius) => celsius > 8)).toBeGreaterThanOrEqual(11 * 60);
    expect(readings.at(-1)?.tempCentiC).toBeGreaterThan(1000);
    expect(minutesWhere(readings, (celsius) => celsius < 2)).toBe(0);
  });

  it("freezes the Sewon fridge below −0.5 °C for over an hour, and chills it to ~1 °C this morning", () => {
    const readings = week("RTS-P340215-1");
    const freeze = minutesWhere(between(readings, 80, 70), (celsius) => celsius <= -0.5);
    expect(freeze).toBeGreaterThanOrEqual(90);
    expect(freeze).toBeLessThanOrEqual(160);
    const dip = between(readings, 12, 0);
    expect(Math.min(...dip.map((reading) => reading.tempCentiC))).toBeGreaterThanOrEqual(70);
    expect(minutesWhere(dip, (celsius) => celsius < 2)).toBeGreaterThanOrEqual(60);
    expect(minutesWhere(dip, (celsius) => celsius < 2)).toBeLessThanOrEqual(110);
    expect(minutesWhere(readings, (celsius) => celsius > 8)).toBe(0);
  });

  it("leaves gaps where a sensor is silent: 5 hours at Berbah, the last 2.5 hours at Srandakan", () => {
    expect(week("RTS-P340408-1")).toHaveLength(7 * READINGS_PER_DAY - 30);
    const srandakan = week("RTS-P340201-1");
    expect(srandakan).toHaveLength(7 * READINGS_PER_DAY - 16);
    expect(srandakan.at(-1)?.ts).toEqual(new Date(end.getTime() - 2.5 * 3_600_000 - READING_INTERVAL_MS));
  });

  it("keeps the Sleman store's ice-lined fridge above +8 °C for over 10 hours five days ago", () => {
    const readings = week("RTS-3404-1", "ilr");
    expect(minutesWhere(between(readings, 121, 100), (celsius) => celsius > 8)).toBeGreaterThanOrEqual(10 * 60 + 30);
  });
});

describe("softLimit", () => {
  it("leaves normal values alone and never leaves 2.5…7.7 °C", () => {
    expect(softLimit(5)).toBe(5);
    expect(softLimit(20)).toBeLessThan(7.7);
    expect(softLimit(-5)).toBeGreaterThan(2.5);
    expect(softLimit(7)).toBeGreaterThan(softLimit(6.9));
  });
});

describe("aggregateHours", () => {
  it("gives exactly the hourly min/max/sum/count of the generated readings, gaps included", () => {
    for (const deviceId of ["RTS-P340101-1", "RTS-P340201-1", "RTS-P340407-1"]) {
      const profile = buildProfile(deviceId, "vestfrost", end);
      const hourEnd = Math.floor(end.getTime() / 3_600_000) * 3_600_000;
      const from = hourEnd - 48 * 3_600_000;
      const readings = generateReadings(profile, new Date(hourEnd - READING_INTERVAL_MS), 48 * 6);
      const expected = new Map<number, { min: number; max: number; sum: number; count: number }>();
      for (const reading of readings) {
        const hour = Math.floor(reading.ts.getTime() / 3_600_000) * 3_600_000;
        const bucket = expected.get(hour) ?? { min: 99_999, max: -99_999, sum: 0, count: 0 };
        bucket.min = Math.min(bucket.min, reading.tempCentiC);
        bucket.max = Math.max(bucket.max, reading.tempCentiC);
        bucket.sum += reading.tempCentiC;
        bucket.count += 1;
        expected.set(hour, bucket);
      }
      const hours = aggregateHours(profile, from, hourEnd - READING_INTERVAL_MS);
      expect(hours.map(({ hourStart, ...rest }) => [hourStart, rest])).toEqual([...expected]);
    }
  });
});
