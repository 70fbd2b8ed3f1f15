import { type Database, sensorStates } from "@rantai/db";
import {
  buildProfile,
  findSeededSensors,
  floorToInterval,
  generateReadings,
  READING_INTERVAL_MS,
  READINGS_PER_DAY,
} from "@rantai/db/seed";
import { inArray } from "drizzle-orm";
import { createManualClock } from "../kernel/clock";
import { applyReadings } from "./alarms/apply-readings";
import { createSensorStaticsCache } from "./alarms/context";
import { checkSilentSensors } from "./alarms/no-data";
import type { ReadingRow } from "./readings-store";

/**
 * The demo seed's temperature history, replayed as ingest would have lived it: the readings of
 * every seeded sensor (the deterministic generator of `@rantai/db/seed`, with its planted heat,
 * freeze and silent episodes) go through ingest's flush — readings, latest state, hourly and
 * daily rollups, alarm evaluation, notices with the stock at risk — one 10-minute slot at a
 * time, on a clock set just after the slot's uploads arrived, with the NO_DATA check run before
 * each slot as ingest's timer would. So alarms open when the live system would have opened
 * them (none "reported late") and a silent sensor gets its NO_DATA alarm.
 *
 * Idempotent and resumable: each sensor continues after its latest stored reading (its
 * `sensor_states` row), so a rerun adds nothing, and a rerun later only fills the time since —
 * at most MAX_CATCH_UP_DAYS, beyond which the sensor simply was silent.
 */

const MAX_CATCH_UP_DAYS = 60;
/** Server time of a slot's flush after the slot: uploads take 2–40 s (see the generator). */
const FLUSH_DELAY_MS = 45_000;
const DAY_MS = 86_400_000;

export interface DemoHistoryOptions {
  /** The end of the history (floored to 10 min). Default: now. */
  now?: Date;
  /** Days of history for a sensor with none yet. Default 7. */
  historyDays?: number;
  log?: (line: string) => void;
}

export interface DemoHistorySummary {
  sensors: number;
  readings: number;
  flushes: number;
  alarmsOpened: number;
  alarmsResolved: number;
  noDataOpened: number;
  durationMs: number;
}

/** Each sensor's missing readings, grouped by slot (epoch ms), and the first slot. */
async function planMissingReadings(db: Database, end: Date, historyDays: number) {
  const sensors = await findSeededSensors(db);
  const states =
    sensors.length === 0
      ? []
      : await db
          .select({ sensorId: sensorStates.sensorId, lastReadingAt: sensorStates.lastReadingAt })
          .from(sensorStates)
          .where(
            inArray(
              sensorStates.sensorId,
              sensors.map((sensor) => sensor.id),
            ),
          );
  const latest = new Map(states.map((row) => [row.sensorId, row.lastReadingAt]));
  const endMs = end.getTime();
  const fresh = endMs - (Math.round(historyDays * READINGS_PER_DAY) - 1) * READING_INTERVAL_MS;
  const oldest = endMs - MAX_CATCH_UP_DAYS * DAY_MS;
  const bySlot = new Map<number, ReadingRow[]>();
  let count = 0;
  for (const sensor of sensors) {
    const last = latest.get(sensor.id);
    const from = last ? Math.max(floorToInterval(last).getTime() + READING_INTERVAL_MS, oldest) : fresh;
    if (from > endMs) continue;
    const slots = (endMs - from) / READING_INTERVAL_MS + 1;
    for (const reading of generateReadings(buildProfile(sensor.deviceId, sensor.modelKey, end), end, slots)) {
      const slot = reading.ts.getTime();
      const rows = bySlot.get(slot) ?? [];
      rows.push({ sensorId: sensor.id, ...reading });
      bySlot.set(slot, rows);
      count += 1;
    }
  }
  return { sensors: sensors.length, bySlot, count };
}

export async function replayDemoHistory(db: Database, options: DemoHistoryOptions = {}): Promise<DemoHistorySummary> {
  const startedAt = performance.now();
  const historyDays = options.historyDays ?? 7;
  if (!(historyDays > 0 && historyDays <= 60)) throw new Error(`historyDays must be in (0, 60], got ${historyDays}`);
  const log = options.log ?? (() => {});
  const end = floorToInterval(options.now ?? new Date());
  const plan = await planMissingReadings(db, end, historyDays);
  const summary: DemoHistorySummary = {
    sensors: plan.sensors,
    readings: plan.count,
    flushes: 0,
    alarmsOpened: 0,
    alarmsResolved: 0,
    noDataOpened: 0,
    durationMs: 0,
  };
  const slots = [...plan.bySlot.keys()].sort((a, b) => a - b);
  const first = slots[0];
  if (first !== undefined) {
    const clock = createManualClock(first);
    // Rules do not change during the replay: read each sensor's once.
    const statics = createSensorStaticsCache(MAX_CATCH_UP_DAYS * DAY_MS, clock);
    let nextLog = first + DAY_MS;
    for (let slot = first; slot <= end.getTime(); slot += READING_INTERVAL_MS) {
      clock.set(slot + FLUSH_DELAY_MS);
      const silent = await checkSilentSensors(db, clock);
      summary.noDataOpened += silent.opened;
      summary.alarmsResolved += silent.closed;
      const rows = plan.bySlot.get(slot);
      if (rows && rows.length > 0) {
        const outcome = await applyReadings(db, rows, clock.now(), statics);
        summary.flushes += 1;
        summary.alarmsOpened += outcome.opened.length;
        summary.alarmsResolved += outcome.resolved;
      }
      if (slot >= nextLog) {
        log(`replayed up to ${new Date(slot).toISOString()}`);
        nextLog += DAY_MS;
      }
    }
  }
  summary.durationMs = Math.round(performance.now() - startedAt);
  return summary;
}
