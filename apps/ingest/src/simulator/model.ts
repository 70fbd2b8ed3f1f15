/**
 * A vaccine fridge, roughly: pure and seeded, so a device's trace is reproducible in tests.
 *
 * - Daily cycle around +4.5 °C (warmest mid-afternoon, coolest before dawn, WIB = UTC+7).
 * - Door openings during clinic hours (08:00–14:00 WIB) add a short spike that decays.
 * - Rarely a warm episode (door left ajar, power cut): climbs towards +9…+10 °C for a while.
 * - More rarely a cold dip (thermostat fault, vaccines near the evaporator): towards ~0 °C.
 * - Off by default (the early-warning benchmark turns them on): slow faults as real cabinets live
 *   them, each drifting to its own target with its own time constant of hours — a power cut
 *   towards room temperature, a door left ajar towards a warm cabinet, a thermostat stuck on
 *   towards freezing. The warm episode and cold dip above follow the cabinet's 4-minute response
 *   and leave the range within minutes.
 * - The battery drains slowly.
 * Probabilities are per hour, so behaviour does not depend on the publishing interval.
 */

export interface ModelParams {
  baseC: number;
  dailyAmplitudeC: number;
  doorOpeningsPerClinicHour: number;
  warmEpisodesPerHour: number;
  coldDipsPerHour: number;
  batteryDrainPctPerDay: number;
  /** Slow faults (see `slowFaults`); 0 leaves the model's behaviour and random sequence as they were. */
  powerCutsPerHour?: number;
  doorsLeftAjarPerHour?: number;
  thermostatFaultsPerHour?: number;
}

export type SlowFaultCause = "power_cut" | "door_ajar" | "thermostat_stuck";

/**
 * Each slow fault's target (°C), time constant and duration (minutes), as [min, max] drawn
 * uniformly. A powerless fridge with its load warms at 2–6 °C/h at first; an open door a little
 * faster; a thermostat stuck on cools at 2–5 °C/h. Each lasts long enough to leave the range.
 */
export const slowFaults: Readonly<
  Record<
    SlowFaultCause,
    { targetC: [number, number]; timeConstantMin: [number, number]; durationMin: [number, number] }
  >
> = {
  power_cut: { targetC: [26, 32], timeConstantMin: [240, 600], durationMin: [180, 360] },
  door_ajar: { targetC: [12, 18], timeConstantMin: [60, 150], durationMin: [120, 240] },
  thermostat_stuck: { targetC: [-4, -1], timeConstantMin: [90, 200], durationMin: [180, 360] },
};

export const defaultModelParams: ModelParams = {
  baseC: 4.5,
  dailyAmplitudeC: 0.4,
  doorOpeningsPerClinicHour: 6,
  // ~1 warm episode per fridge every 2 days: with 150 fridges a few excursions an hour.
  warmEpisodesPerHour: 0.02,
  coldDipsPerHour: 0.004,
  batteryDrainPctPerDay: 0.5,
};

export type Episode =
  | { kind: "none" }
  | { kind: "warm"; targetC: number; remainingSeconds: number }
  | { kind: "cold"; targetC: number; remainingSeconds: number }
  | { kind: "slow"; cause: SlowFaultCause; targetC: number; timeConstantSeconds: number; remainingSeconds: number };

export interface DeviceState {
  tempC: number;
  /** Extra heat from recent door openings, decaying. */
  doorHeatC: number;
  episode: Episode;
  batteryPct: number;
  seq: number;
}

export interface SimulatedReading {
  tempC: number;
  batteryPct: number;
  seq: number;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stable seed per device id (FNV-1a). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const WIB_OFFSET_HOURS = 7;
/** How fast the cabinet follows its target temperature (first-order, seconds). */
const THERMAL_TIME_CONSTANT_S = 240;
const DOOR_DECAY_TIME_CONSTANT_S = 300;

export function hourOfDayWib(now: Date): number {
  return (now.getUTCHours() + WIB_OFFSET_HOURS + now.getUTCMinutes() / 60 + now.getUTCSeconds() / 3600) % 24;
}

export function isClinicHours(now: Date): boolean {
  const hour = hourOfDayWib(now);
  return hour >= 8 && hour < 14;
}

/** The cycle alone: +amplitude at 15:00 WIB, −amplitude at 03:00 WIB. */
export function dailyBaselineC(now: Date, params: ModelParams = defaultModelParams): number {
  return params.baseC + params.dailyAmplitudeC * Math.sin((2 * Math.PI * (hourOfDayWib(now) - 9)) / 24);
}

export function initialState(random: () => number): DeviceState {
  return {
    tempC: 4 + random(),
    doorHeatC: 0,
    episode: { kind: "none" },
    batteryPct: 60 + random() * 40,
    seq: 0,
  };
}

/** Probability of at least one event in `seconds`, for a rate per hour. */
function chance(ratePerHour: number, seconds: number): number {
  return 1 - Math.exp((-ratePerHour * seconds) / 3600);
}

/** Standard normal (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const between = (random: () => number, [min, max]: [number, number]) => min + random() * (max - min);

/** A slow fault starting now, or none; draws nothing for a cause whose rate is 0. */
function startSlowFault(params: ModelParams, intervalSeconds: number, random: () => number): Episode | null {
  const rates: [SlowFaultCause, number | undefined][] = [
    ["power_cut", params.powerCutsPerHour],
    ["door_ajar", params.doorsLeftAjarPerHour],
    ["thermostat_stuck", params.thermostatFaultsPerHour],
  ];
  for (const [cause, rate] of rates) {
    if (!rate || random() >= chance(rate, intervalSeconds)) continue;
    const fault = slowFaults[cause];
    return {
      kind: "slow",
      cause,
      targetC: between(random, fault.targetC),
      timeConstantSeconds: between(random, fault.timeConstantMin) * 60,
      remainingSeconds: between(random, fault.durationMin) * 60,
    };
  }
  return null;
}

/** Advances one device by `intervalSeconds` ending at `now`; returns its next state and reading. */
export function step(
  state: DeviceState,
  now: Date,
  intervalSeconds: number,
  random: () => number,
  params: ModelParams = defaultModelParams,
): { state: DeviceState; reading: SimulatedReading } {
  let episode = state.episode;
  if (episode.kind !== "none") {
    const remainingSeconds = episode.remainingSeconds - intervalSeconds;
    episode = remainingSeconds > 0 ? { ...episode, remainingSeconds } : { kind: "none" };
  } else if (random() < chance(params.warmEpisodesPerHour, intervalSeconds)) {
    episode = { kind: "warm", targetC: 9 + random(), remainingSeconds: (15 + random() * 45) * 60 };
  } else if (random() < chance(params.coldDipsPerHour, intervalSeconds)) {
    episode = { kind: "cold", targetC: -0.5 + random(), remainingSeconds: (10 + random() * 30) * 60 };
  } else {
    episode = startSlowFault(params, intervalSeconds, random) ?? episode;
  }

  let doorHeatC = state.doorHeatC * Math.exp(-intervalSeconds / DOOR_DECAY_TIME_CONSTANT_S);
  if (isClinicHours(now) && random() < chance(params.doorOpeningsPerClinicHour, intervalSeconds)) {
    doorHeatC += 1 + random() * 1.5;
  }

  const target = episode.kind === "none" ? dailyBaselineC(now, params) + doorHeatC : episode.targetC;
  const timeConstant = episode.kind === "slow" ? episode.timeConstantSeconds : THERMAL_TIME_CONSTANT_S;
  const follow = 1 - Math.exp(-intervalSeconds / timeConstant);
  const tempC = state.tempC + (target - state.tempC) * follow + gaussian(random) * 0.03;
  const batteryPct = Math.max(0, state.batteryPct - (params.batteryDrainPctPerDay * intervalSeconds) / 86_400);
  const seq = (state.seq + 1) % 4_294_967_296;

  return {
    state: { tempC, doorHeatC, episode, batteryPct, seq },
    reading: { tempC: Math.round(tempC * 100) / 100, batteryPct: Math.floor(batteryPct), seq },
  };
}
