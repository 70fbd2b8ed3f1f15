import {
  type AlarmType,
  alarmRules,
  alarmTrackers,
  type Executor,
  equipment,
  orgUnits,
  sensorStates,
  sensors,
} from "@rantai/db";
import { asc, eq, inArray } from "drizzle-orm";
import { type Clock, systemClock } from "../../kernel/clock";
import { type AlarmRuleRow, resolveRules, type SensorRules } from "./rules";

export type TrackerRow = typeof alarmTrackers.$inferSelect;

/** A sensor's registration, place and rules: changes rarely, so ingest may cache it briefly. */
export interface SensorStatics {
  sensorId: number;
  deviceId: string;
  equipmentId: number;
  equipmentName: string;
  facilityId: number;
  facilityName: string;
  expectedIntervalSeconds: number;
  rules: SensorRules;
}

/** What alarm evaluation needs to know about one sensor, read once per flush. */
export interface SensorAlarmContext extends SensorStatics {
  /** sensor_states.last_reading_at before this flush's readings: the latest reading folded in. */
  priorLastReadingAt: Date | null;
  /** sensor_states.last_temp_centi_c before this flush: the early warning's gate looks at it. */
  priorLastTempCentiC: number | null;
  trackers: Map<AlarmType, TrackerRow>;
}

/** IN lists stay under MariaDB's in_predicate_conversion_threshold (1000) and in id order. */
const ID_CHUNK = 900;

function chunks(ids: readonly number[]): number[][] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: number[][] = [];
  for (let start = 0; start < sorted.length; start += ID_CHUNK) out.push(sorted.slice(start, start + ID_CHUNK));
  return out;
}

/**
 * Locks the sensors' registry rows (SELECT … FOR UPDATE, in id order) for the rest of the
 * transaction: the per-sensor mutex of alarm evaluation. Everything that moves a sensor's alarm
 * state — ingest flushes on any replica, the NO_DATA check — takes it first, so they run one at a
 * time per sensor and always lock in the same order (no deadlocks). `sensors` rows always exist,
 * unlike tracker rows, which a first reading or a first episode has yet to create.
 */
export async function lockSensors(db: Executor, sensorIds: readonly number[]): Promise<void> {
  for (const part of chunks(sensorIds)) {
    await db
      .select({ id: sensors.id })
      .from(sensors)
      .where(inArray(sensors.id, part))
      .orderBy(asc(sensors.id))
      .for("update");
  }
}

async function findSensorStatics(db: Executor, sensorIds: readonly number[]): Promise<Map<number, SensorStatics>> {
  const found = new Map<number, SensorStatics>();
  for (const part of chunks(sensorIds)) {
    const rows = await db
      .select({
        sensorId: sensors.id,
        deviceId: sensors.deviceId,
        expectedIntervalSeconds: sensors.expectedIntervalSeconds,
        equipmentId: equipment.id,
        equipmentName: equipment.name,
        equipmentKind: equipment.kind,
        facilityId: orgUnits.id,
        facilityName: orgUnits.name,
        rule: {
          type: alarmRules.type,
          thresholdCentiC: alarmRules.thresholdCentiC,
          thresholdInclusive: alarmRules.thresholdInclusive,
          durationSeconds: alarmRules.durationSeconds,
          enabled: alarmRules.enabled,
        },
      })
      .from(sensors)
      .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .leftJoin(alarmRules, eq(alarmRules.equipmentId, equipment.id))
      .where(inArray(sensors.id, part));
    const grouped = new Map<number, { row: (typeof rows)[number]; rules: AlarmRuleRow[] }>();
    for (const row of rows) {
      const entry = grouped.get(row.sensorId) ?? { row, rules: [] };
      if (row.rule) entry.rules.push(row.rule);
      grouped.set(row.sensorId, entry);
    }
    for (const [sensorId, { row, rules }] of grouped) {
      found.set(sensorId, {
        sensorId,
        deviceId: row.deviceId,
        equipmentId: row.equipmentId,
        equipmentName: row.equipmentName,
        facilityId: row.facilityId,
        facilityName: row.facilityName,
        expectedIntervalSeconds: row.expectedIntervalSeconds,
        rules: resolveRules(row.equipmentKind, rules),
      });
    }
  }
  return found;
}

/**
 * Sensor statics kept for `ttlMs`: a rule, equipment or facility change reaches ingest within
 * it. Ingest keeps one per process; without one, every flush reads them.
 */
export function createSensorStaticsCache(ttlMs = 60_000, clock: Clock = systemClock) {
  const known = new Map<number, { statics: SensorStatics; expiresAt: number }>();
  return {
    async resolve(db: Executor, sensorIds: readonly number[]): Promise<Map<number, SensorStatics>> {
      const now = clock.now().getTime();
      const resolved = new Map<number, SensorStatics>();
      const missing: number[] = [];
      for (const sensorId of new Set(sensorIds)) {
        const entry = known.get(sensorId);
        if (entry && entry.expiresAt > now) resolved.set(sensorId, entry.statics);
        else missing.push(sensorId);
      }
      if (missing.length === 0) return resolved;
      for (const [sensorId, statics] of await findSensorStatics(db, missing)) {
        known.set(sensorId, { statics, expiresAt: now + ttlMs });
        resolved.set(sensorId, statics);
      }
      return resolved;
    },
  };
}
export type SensorStaticsCache = ReturnType<typeof createSensorStaticsCache>;

/**
 * Locks the sensors and reads what alarm evaluation needs of them, in one statement per 900
 * sensors: `SELECT … FROM sensors LEFT JOIN sensor_states LEFT JOIN alarm_trackers … ORDER BY
 * sensors.id FOR UPDATE`. The sensors rows are the per-sensor mutex (see `lockSensors`); the
 * joined state and tracker rows get locked along with them, in the same sensor order, and only
 * this transaction writes them from here on. Must run before this transaction stores new
 * readings: it reads the previous sensor_states. `lockOnly` sensors are locked, not loaded.
 * `priors` has every locked sensor's previous latest reading, even one whose equipment is gone.
 */
export async function lockAndLoadSensorContexts(
  db: Executor,
  input: { sensorIds: readonly number[]; lockOnly?: readonly number[]; cache?: SensorStaticsCache },
): Promise<{ contexts: Map<number, SensorAlarmContext>; priors: Map<number, Date | null> }> {
  const contexts = new Map<number, SensorAlarmContext>();
  const priors = new Map<number, Date | null>();
  const wanted = new Set(input.sensorIds);
  const dynamic = new Map<
    number,
    { priorLastReadingAt: Date | null; priorLastTempCentiC: number | null; trackers: Map<AlarmType, TrackerRow> }
  >();
  for (const part of chunks([...wanted, ...(input.lockOnly ?? [])])) {
    const rows = await db
      .select({
        sensorId: sensors.id,
        lastReadingAt: sensorStates.lastReadingAt,
        lastTempCentiC: sensorStates.lastTempCentiC,
        tracker: alarmTrackers,
      })
      .from(sensors)
      .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
      .leftJoin(alarmTrackers, eq(alarmTrackers.sensorId, sensors.id))
      .where(inArray(sensors.id, part))
      .orderBy(asc(sensors.id))
      .for("update");
    for (const row of rows) {
      priors.set(row.sensorId, row.lastReadingAt);
      if (!wanted.has(row.sensorId)) continue;
      const entry = dynamic.get(row.sensorId) ?? {
        priorLastReadingAt: row.lastReadingAt,
        priorLastTempCentiC: row.lastTempCentiC,
        trackers: new Map(),
      };
      if (row.tracker) entry.trackers.set(row.tracker.type, row.tracker);
      dynamic.set(row.sensorId, entry);
    }
  }
  if (wanted.size === 0) return { contexts, priors };
  const statics = input.cache ? await input.cache.resolve(db, [...wanted]) : await findSensorStatics(db, [...wanted]);
  for (const [sensorId, entry] of statics) {
    const state = dynamic.get(sensorId);
    contexts.set(sensorId, {
      ...entry,
      priorLastReadingAt: state?.priorLastReadingAt ?? null,
      priorLastTempCentiC: state?.priorLastTempCentiC ?? null,
      trackers: state?.trackers ?? new Map(),
    });
  }
  return { contexts, priors };
}
