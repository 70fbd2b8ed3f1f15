import { parseArgs } from "node:util";
import {
  decideEarlyWarning,
  estimateTrend,
  needsEarlyWarningEvaluation,
  type StorageLimits,
  type TEarlyWarningConfig,
  type TrendReading,
  type WarningLimit,
  ZEarlyWarningConfigSchema,
} from "@rantai/core/coldchain/early-warning";
import { z } from "zod";
import {
  createRandom,
  type DeviceState,
  defaultModelParams,
  initialState,
  type ModelParams,
  step,
} from "../apps/ingest/src/simulator/model";
import { median } from "./common";

/*
 * `npm run bench:early-warning [-- --seeds N --fridges N --days N --interval SECONDS --config JSON]`
 *
 * The early-warning estimator over simulated fridge-days (apps/ingest/src/simulator/model.ts),
 * evaluated after every reading as ingest evaluates it after every flush (the same quiet-band
 * gate, trend and decision; the default configuration, or --config's settings over it). Per seed, two fleets of --fridges fridges
 * for --days days each, one reading every --interval seconds:
 *   - steady: the daily cycle, door openings in clinic hours, sensor noise; no fault;
 *   - faulty: the same with slow faults, about one a fridge-day: power cuts, doors left ajar,
 *     thermostats stuck on (the model's `slowFaults`).
 * A third fleet with the model's default fast warm episodes and cold dips (the cabinet's
 * 4-minute response: out of range within minutes of the fault) is reported on its own line.
 *
 * Definitions (per seed, then the median over seeds is printed):
 *   - A breach is the first reading outside +2…+8 °C after at least REARM_MINUTES in range.
 *   - A breach counts as warned when a warning on its side (upper/lower) was open at that
 *     reading and had opened at least LEAD_MINUTES before it; its lead is that difference.
 *   - recall = warned breaches of slow faults ÷ breaches of slow faults (faulty fleet);
 *   - false warnings = warnings that ended without a breach (cleared) or were still open at the
 *     end of the trace, over both the steady and the faulty fleet, per fridge-day of both;
 *   - median minutes of warning = the median lead of the warned breaches.
 * The last three lines:
 *   early warning recall: R
 *   false warnings per fridge-day: F
 *   median minutes of warning: M
 */

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "5" },
    fridges: { type: "string", default: "40" },
    days: { type: "string", default: "2" },
    interval: { type: "string", default: "60" },
    config: { type: "string", default: "{}" },
  },
});
const options = z
  .strictObject({
    seeds: z.coerce.number().int().min(1).max(50),
    fridges: z.coerce.number().int().min(1).max(2000),
    days: z.coerce.number().int().min(1).max(60),
    interval: z.coerce.number().int().min(10).max(900),
    config: z.string().transform((text) => ZEarlyWarningConfigSchema.parse(JSON.parse(text))),
  })
  .parse(values);

const REARM_MINUTES = 30;
const LEAD_MINUTES = 5;
const MINUTE_MS = 60_000;
const LIMITS: StorageLimits = { upperCentiC: 800, lowerCentiC: 200 };
const START_MS = Date.parse("2026-01-05T17:00:00Z"); // 00:00 WIB

const steadyParams: ModelParams = { ...defaultModelParams, warmEpisodesPerHour: 0, coldDipsPerHour: 0 };
const faultyParams: ModelParams = {
  ...steadyParams,
  powerCutsPerHour: 1 / 72,
  doorsLeftAjarPerHour: 1 / 72,
  thermostatFaultsPerHour: 1 / 72,
};

interface Breach {
  ts: number;
  limit: WarningLimit;
  /** What the model was doing: a slow fault's cause, a fast episode, or nothing (door openings). */
  cause: string;
  leadMinutes: number | null;
}

interface FridgeOutcome {
  breaches: Breach[];
  falseWarnings: number;
  warnings: number;
}

function causeOf(state: DeviceState): string {
  const episode = state.episode;
  return episode.kind === "slow" ? episode.cause : episode.kind;
}

/** One fridge's trace, evaluated reading by reading. */
function runFridge(seed: number, params: ModelParams, config: TEarlyWarningConfig): FridgeOutcome {
  const random = createRandom(seed);
  let state = initialState(random);
  const window: TrendReading[] = [];
  const windowMs = config.windowMinutes * MINUTE_MS;
  const outcome: FridgeOutcome = { breaches: [], falseWarnings: 0, warnings: 0 };
  let open: { limit: WarningLimit; openedAt: number } | null = null;
  let prior: number | null = null;
  let inRangeSince: number | null = START_MS;
  let inRange = true;
  const steps = Math.floor((options.days * 86_400) / options.interval);
  for (let i = 1; i <= steps; i += 1) {
    const ts = START_MS + i * options.interval * 1000;
    const next = step(state, new Date(ts), options.interval, random, params);
    state = next.state;
    const centi = Math.round(next.reading.tempC * 100);
    window.push({ ts, tempCentiC: centi });
    while ((window[0]?.ts ?? ts) < ts - windowMs) window.shift();

    const outside = centi > LIMITS.upperCentiC || centi < LIMITS.lowerCentiC;
    if (outside && inRange && inRangeSince !== null && ts - inRangeSince >= REARM_MINUTES * MINUTE_MS) {
      const limit: WarningLimit = centi > LIMITS.upperCentiC ? "upper" : "lower";
      const warned = open && open.limit === limit && ts - open.openedAt >= LEAD_MINUTES * MINUTE_MS;
      outcome.breaches.push({
        ts,
        limit,
        cause: causeOf(state),
        leadMinutes: warned && open ? (ts - open.openedAt) / MINUTE_MS : null,
      });
    }
    if (outside) inRangeSince = null;
    else if (inRangeSince === null) inRangeSince = ts;
    inRange = !outside;

    if (open || needsEarlyWarningEvaluation(centi, prior, LIMITS, config)) {
      const decision = decideEarlyWarning(estimateTrend(window, config), open, LIMITS, config);
      if (decision.action === "open") {
        open = { limit: decision.forecast.limit, openedAt: ts };
        outcome.warnings += 1;
      } else if (decision.action === "end") {
        if (decision.reason === "cleared") outcome.falseWarnings += 1;
        open = null;
      }
    }
    prior = centi;
  }
  if (open) outcome.falseWarnings += 1;
  return outcome;
}

interface FleetFigures {
  breaches: Breach[];
  falseWarnings: number;
  warnings: number;
  fridgeDays: number;
}

function runFleet(seed: number, params: ModelParams, config: TEarlyWarningConfig): FleetFigures {
  const fleet: FleetFigures = { breaches: [], falseWarnings: 0, warnings: 0, fridgeDays: 0 };
  for (let fridge = 0; fridge < options.fridges; fridge += 1) {
    const outcome = runFridge(seed * 100_003 + fridge, params, config);
    fleet.breaches.push(...outcome.breaches);
    fleet.falseWarnings += outcome.falseWarnings;
    fleet.warnings += outcome.warnings;
    fleet.fridgeDays += options.days;
  }
  return fleet;
}

const ratio = (part: number, whole: number) => (whole === 0 ? Number.NaN : part / whole);
const warnedShare = (breaches: readonly Breach[]) =>
  ratio(breaches.filter((breach) => breach.leadMinutes !== null).length, breaches.length);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

const config = options.config;
const recalls: number[] = [];
const falseRates: number[] = [];
const leads: number[] = [];
const fastRecalls: number[] = [];
console.log(
  `early warning: ${options.seeds} seed(s) × ${options.fridges} steady + ${options.fridges} faulty fridges × ${options.days} day(s), a reading every ${options.interval} s`,
);
for (let seed = 1; seed <= options.seeds; seed += 1) {
  const started = performance.now();
  const steady = runFleet(seed, steadyParams, config);
  const faulty = runFleet(seed + 1000, faultyParams, config);
  const fast = runFleet(seed + 2000, defaultModelParams, config);
  const slowBreaches = faulty.breaches.filter(
    (breach) => breach.cause in { power_cut: 1, door_ajar: 1, thermostat_stuck: 1 },
  );
  const warned = slowBreaches.filter((breach) => breach.leadMinutes !== null);
  const fastBreaches = fast.breaches.filter((breach) => breach.cause === "warm" || breach.cause === "cold");
  const recall = warnedShare(slowBreaches);
  const falseRate = ratio(steady.falseWarnings + faulty.falseWarnings, steady.fridgeDays + faulty.fridgeDays);
  const lead = median(warned.map((breach) => breach.leadMinutes ?? 0));
  recalls.push(recall);
  falseRates.push(falseRate);
  leads.push(lead);
  fastRecalls.push(warnedShare(fastBreaches));
  const byCause = ["power_cut", "door_ajar", "thermostat_stuck"].map((cause) => {
    const of = slowBreaches.filter((breach) => breach.cause === cause);
    return `${cause} ${of.filter((breach) => breach.leadMinutes !== null).length}/${of.length}`;
  });
  const otherBreaches = [...steady.breaches, ...faulty.breaches].filter((breach) => breach.cause === "none").length;
  console.log(
    `seed ${seed}: recall ${round(recall)} (${byCause.join(", ")}), false warnings ${steady.falseWarnings} steady + ${faulty.falseWarnings} faulty over ${steady.fridgeDays + faulty.fridgeDays} fridge-days, ` +
      `median lead ${round(lead, 1)} min, door-opening breaches ${otherBreaches}, fast episodes warned ${fastBreaches.filter((breach) => breach.leadMinutes !== null).length}/${fastBreaches.length} (${Math.round(performance.now() - started)} ms)`,
  );
}
console.log(`fast warm episodes and cold dips warned (median over seeds): ${round(median(fastRecalls))}`);
console.log(`early warning recall: ${round(median(recalls))}`);
console.log(`false warnings per fridge-day: ${round(median(falseRates), 4)}`);
console.log(`median minutes of warning: ${round(median(leads), 1)}`);
