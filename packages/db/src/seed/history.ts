import type { EquipmentModel } from "./coldchain";
import { createRandom, hashString } from "./random";

/**
 * Pure generator of plausible fridge temperatures, one reading every 10 minutes like a 30-DTR.
 * A reading depends only on the sensor, its timestamp and the profile, never on where the
 * generated window starts, so overlapping runs agree on every shared timestamp.
 */

export const READING_INTERVAL_MS = 10 * 60_000;
export const READINGS_PER_DAY = 144;
const DAY_MS = 86_400_000;
/** Waktu Indonesia Barat (UTC+7): clinic hours and the daily cycle follow local time. */
const WIB_OFFSET_MS = 7 * 3_600_000;
/** Device sequence numbers count readings from 2024-01-01 UTC. */
const SEQ_EPOCH_SLOT = Date.UTC(2024, 0, 1) / READING_INTERVAL_MS;

export interface HistoryEvent {
  /** warm/cold: the fridge drifts to `extremeC` and back; silent: the sensor sends nothing. */
  kind: "warm" | "cold" | "silent";
  start: Date;
  durationMinutes: number;
  /** The temperature the event reaches at its plateau, °C (unused when silent). */
  extremeC: number;
  /** Minutes to reach the plateau and to come back from it. Default: a fifth of the duration. */
  rampMinutes?: number;
}

export interface SensorProfile {
  deviceId: string;
  meanC: number;
  /** Half the day-night swing, °C: warmest mid-afternoon WIB. */
  amplitudeC: number;
  doorOpeningsPerDay: readonly [number, number];
  events: readonly HistoryEvent[];
}

export interface GeneratedReading {
  ts: Date;
  tempCentiC: number;
  batteryPct: number;
  seq: number;
  receivedAt: Date;
}

/** A planted episode, placed `hoursBeforeEnd` before the end of the seeded history. */
export interface DemoEpisode extends Omit<HistoryEvent, "start"> {
  hoursBeforeEnd: number;
  /** What the alarm engine makes of it (documentation and tests). */
  raises: string;
}

/**
 * The planted episodes. Ordinary days stay inside +2…+8 °C (see softLimit), so these are the
 * only alarms of the demo. Under the default rules (core/coldchain/alarms/rules.ts): HEAT is
 * above +8 °C for 10 h, FREEZE at or below −0.5 °C for 60 min, EXCURSION outside +2…+8 °C for
 * 60 min, NO_DATA no reading for 60 min. Sleman's users see Depok and Berbah, Bantul's Sewon
 * and Srandakan; the Depok power cut is still going on at the end of the history, so the
 * Depok account finds open alarms on first sign-in.
 */
export const DEMO_EPISODES: Readonly<Record<string, readonly DemoEpisode[]>> = {
  // Puskesmas Depok (Sleman): a door left ajar two days ago, and a power cut since 13 h ago.
  "RTS-P340407-1": [
    { kind: "warm", hoursBeforeEnd: 44, durationMinutes: 240, extremeC: 9.5, raises: "excursion (resolved)" },
    {
      kind: "warm",
      hoursBeforeEnd: 13,
      durationMinutes: 16 * 60,
      extremeC: 11,
      rampMinutes: 90,
      raises: "heat and excursion (open)",
    },
  ],
  // Puskesmas Sewon (Bantul): a thermostat turned too cold three days ago, a cold dip this morning.
  "RTS-P340215-1": [
    {
      kind: "cold",
      hoursBeforeEnd: 76,
      durationMinutes: 180,
      extremeC: -2,
      rampMinutes: 30,
      raises: "freeze and excursion (resolved)",
    },
    { kind: "cold", hoursBeforeEnd: 9, durationMinutes: 120, extremeC: 1, raises: "excursion (resolved)" },
  ],
  // Puskesmas Berbah (Sleman): the logger's gateway lost power for 5 hours yesterday.
  "RTS-P340408-1": [
    { kind: "silent", hoursBeforeEnd: 30, durationMinutes: 300, extremeC: 0, raises: "no_data (resolved)" },
  ],
  // Puskesmas Srandakan (Bantul): silent for the last 2.5 hours.
  "RTS-P340201-1": [
    { kind: "silent", hoursBeforeEnd: 2.5, durationMinutes: 12 * 60, extremeC: 0, raises: "no_data (open)" },
  ],
  // Gudang vaksin Sleman: the ice-lined fridge warmed for 14 hours five days ago.
  "RTS-3404-1": [
    {
      kind: "warm",
      hoursBeforeEnd: 120,
      durationMinutes: 14 * 60,
      extremeC: 10,
      rampMinutes: 60,
      raises: "heat and excursion (resolved)",
    },
  ],
};

export function floorToInterval(date: Date): Date {
  return new Date(Math.floor(date.getTime() / READING_INTERVAL_MS) * READING_INTERVAL_MS);
}

/** A sensor's steady behaviour from its model, plus its planted episodes placed before `end`. */
export function buildProfile(
  deviceId: string,
  model: EquipmentModel,
  end: Date,
  /** The planted episodes by device id; the national dataset plants none. */
  episodes: Readonly<Record<string, readonly DemoEpisode[]>> = DEMO_EPISODES,
): SensorProfile {
  const random = createRandom(`profile:${deviceId}`);
  const events = (episodes[deviceId] ?? []).map(
    ({ hoursBeforeEnd, raises: _raises, ...event }): HistoryEvent => ({
      ...event,
      start: floorToInterval(new Date(end.getTime() - hoursBeforeEnd * 3_600_000)),
    }),
  );
  if (model === "ilr") {
    return {
      deviceId,
      meanC: random.between(4.2, 4.8),
      amplitudeC: random.between(0.3, 0.5),
      doorOpeningsPerDay: [1, 3],
      events,
    };
  }
  return {
    deviceId,
    meanC: random.between(4.5, 5),
    amplitudeC: random.between(0.5, 0.8),
    doorOpeningsPerDay: [3, 7],
    events,
  };
}

interface DayNoise {
  noise: number[];
  door: number[];
  receiveDelayMs: number[];
}

/** One WIB day of random detail for one sensor: sensor noise, door openings, upload delays. */
function dayNoise(profile: SensorProfile, wibDay: number): DayNoise {
  const random = createRandom(`day:${profile.deviceId}:${wibDay}`);
  const noise: number[] = [];
  let walk = 0;
  for (let i = 0; i < READINGS_PER_DAY; i++) {
    walk = 0.7 * walk + (random.next() - 0.5) * 0.2;
    noise.push(walk);
  }
  const receiveDelayMs = noise.map(() => random.int(2_000, 40_000));
  const door = noise.map(() => 0);
  // 1970-01-01 was a Thursday; puskesmas hold clinics Monday to Saturday.
  const isClinicDay = (wibDay + 4) % 7 !== 0;
  if (isClinicDay) {
    const openings = random.int(profile.doorOpeningsPerDay[0], profile.doorOpeningsPerDay[1]);
    for (let n = 0; n < openings; n++) {
      // 08:00–13:50 WIB: slots 48 to 83 of the day.
      const slot = random.int(48, 83);
      const rise = random.between(0.8, 2.2);
      for (let k = 0; k < 5 && slot + k < READINGS_PER_DAY; k++) {
        door[slot + k] = (door[slot + k] ?? 0) + rise * 0.55 ** k;
      }
    }
  }
  return { noise, door, receiveDelayMs };
}

function eventOverlay(value: number, events: readonly HistoryEvent[], ts: number): number {
  for (const event of events) {
    if (event.kind === "silent") continue;
    const elapsed = ts - event.start.getTime();
    const duration = event.durationMinutes * 60_000;
    if (elapsed < 0 || elapsed >= duration) continue;
    const ramp = (event.rampMinutes ?? event.durationMinutes / 5) * 60_000;
    const envelope = Math.min(1, elapsed / ramp, (duration - elapsed) / ramp);
    return value + (event.extremeC - value) * envelope;
  }
  return value;
}

/** Whether the sensor sends nothing at `ts` (a silent event covers it). */
function isSilent(events: readonly HistoryEvent[], ts: number): boolean {
  return events.some(
    (event) =>
      event.kind === "silent" &&
      ts >= event.start.getTime() &&
      ts < event.start.getTime() + event.durationMinutes * 60_000,
  );
}

/** Battery drains 1 % every 5 days and is replaced at about 40 %, at a sensor-specific phase. */
function batteryPct(deviceId: string, ts: number): number {
  const dayNumber = Math.floor(ts / DAY_MS);
  return 100 - Math.floor(((dayNumber + (hashString(deviceId) % 300)) % 300) / 5);
}

/**
 * Ordinary days stay inside +2…+8 °C so that only the planted events raise alarms: values past
 * 6.8 °C or below 3.0 °C are squeezed smoothly towards 7.7 and 2.5 °C (no flat-topped spikes).
 */
export function softLimit(celsius: number): number {
  if (celsius > 6.8) return 6.8 + 0.9 * Math.tanh((celsius - 6.8) / 0.9);
  if (celsius < 3) return 3 - 0.5 * Math.tanh((3 - celsius) / 0.5);
  return celsius;
}

/** Day noise of one sensor, one WIB day at a time (the slots are visited in time order). */
class DayNoiseCursor {
  private wibDay = Number.NaN;
  private day: DayNoise | undefined;
  constructor(private readonly profile: SensorProfile) {}
  at(wibDay: number): DayNoise {
    if (!this.day || wibDay !== this.wibDay) {
      this.day = dayNoise(this.profile, wibDay);
      this.wibDay = wibDay;
    }
    return this.day;
  }
}

/** The temperature (°C) and the day's detail of one 10-minute slot. */
function slotReading(profile: SensorProfile, cursor: DayNoiseCursor, slot: number) {
  const ts = slot * READING_INTERVAL_MS;
  const local = ts + WIB_OFFSET_MS;
  const wibDay = Math.floor(local / DAY_MS);
  const index = Math.floor((local - wibDay * DAY_MS) / READING_INTERVAL_MS);
  const day = cursor.at(wibDay);
  const hour = (local - wibDay * DAY_MS) / 3_600_000;
  const cycle = profile.amplitudeC * Math.sin((2 * Math.PI * (hour - 9)) / 24);
  const steady = softLimit(profile.meanC + cycle + (day.noise[index] ?? 0) + (day.door[index] ?? 0));
  return { ts, celsius: eventOverlay(steady, profile.events, ts), receiveDelayMs: day.receiveDelayMs[index] ?? 5_000 };
}

/**
 * The readings of the `count` 10-minute slots ending at `end` (floored to 10 min), oldest
 * first; slots inside a silent event have none.
 */
export function generateReadings(profile: SensorProfile, end: Date, count: number): GeneratedReading[] {
  const lastSlot = Math.floor(end.getTime() / READING_INTERVAL_MS);
  const cursor = new DayNoiseCursor(profile);
  const readings: GeneratedReading[] = [];
  for (let slot = lastSlot - count + 1; slot <= lastSlot; slot++) {
    const ts = slot * READING_INTERVAL_MS;
    if (isSilent(profile.events, ts)) continue;
    const reading = slotReading(profile, cursor, slot);
    readings.push({
      ts: new Date(ts),
      tempCentiC: Math.round(reading.celsius * 100),
      batteryPct: batteryPct(profile.deviceId, ts),
      seq: Math.max(0, slot - SEQ_EPOCH_SLOT),
      receivedAt: new Date(ts + reading.receiveDelayMs),
    });
  }
  return readings;
}

export interface HourAggregate {
  /** Epoch ms of the UTC hour. */
  hourStart: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/**
 * Min/max/sum/count per UTC hour of the readings `generateReadings` gives from `from` (epoch ms,
 * a whole hour) up to and including the slot `last`, without building them: a year of a sensor
 * is 52,560 slots.
 */
export function aggregateHours(profile: SensorProfile, from: number, last: number): HourAggregate[] {
  const cursor = new DayNoiseCursor(profile);
  const hours: HourAggregate[] = [];
  const slotsPerHour = 3_600_000 / READING_INTERVAL_MS;
  const lastSlot = Math.floor(last / READING_INTERVAL_MS);
  for (let hourStart = from; hourStart <= last; hourStart += 3_600_000) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let count = 0;
    const firstSlot = hourStart / READING_INTERVAL_MS;
    for (let slot = firstSlot; slot < firstSlot + slotsPerHour && slot <= lastSlot; slot++) {
      if (profile.events.length > 0 && isSilent(profile.events, slot * READING_INTERVAL_MS)) continue;
      const centi = Math.round(slotReading(profile, cursor, slot).celsius * 100);
      if (centi < min) min = centi;
      if (centi > max) max = centi;
      sum += centi;
      count += 1;
    }
    if (count > 0) hours.push({ hourStart, min, max, sum, count });
  }
  return hours;
}
