import type { Executor } from "@rantai/db";
import { defaultEarlyWarningConfig, type TEarlyWarningConfig } from "../early-warning";
import type { ReadingRow } from "../readings-store";
import { AlarmChanges, type AlarmOutcome, type AlarmRef, applyChanges, episodeValues } from "./changes";
import {
  lockAndLoadSensorContexts,
  type SensorAlarmContext,
  type SensorStaticsCache,
  type TrackerRow,
} from "./context";
import { type EarlyWarningOutcome, evaluateEarlyWarnings } from "./early-warnings";
import {
  type AlarmReading,
  detectEpisodes,
  type Episode,
  type EpisodeState,
  emptyTrackerState,
  foldReadings,
  type TrackerState,
} from "./episodes";
import { findStoredAlarms, findWindowReadings, findWindowStarts } from "./recompute";
import { reconcileAlarms } from "./reconcile";
import { noDataThresholdMs } from "./rules";

export { type AlarmOutcome, LATE_DETECTION_MS } from "./changes";

/**
 * Alarm evaluation inside ingest's flush transaction, in two steps around the readings insert:
 *
 *   const prepared = await prepareAlarmEvaluation(tx, { lockSensorIds, readingSensorIds });
 *   await storeReadings(tx, rows);
 *   const outcome = await evaluateAlarms(tx, prepared, rows, now);
 *
 * Fast path (readings newer than the sensor's latest): fold them into the trackers. Slow path
 * (any reading at or before it: late, out of order, or a redelivery): recompute the affected
 * window from the stored readings and reconcile the stored alarms with it.
 */

export interface PreparedAlarmEvaluation {
  contexts: Map<number, SensorAlarmContext>;
  /** Each locked sensor's latest stored reading before this flush. */
  priors: Map<number, Date | null>;
  earlyWarning: TEarlyWarningConfig;
}

export interface FlushAlarmOutcome extends AlarmOutcome {
  earlyWarnings: EarlyWarningOutcome;
}

export async function prepareAlarmEvaluation(
  db: Executor,
  input: {
    /** Sensors of the flush's readings: locked and evaluated. */
    readingSensorIds: readonly number[];
    /** Other sensors the transaction writes (statuses): locked too, so the lock order holds. */
    lockSensorIds: readonly number[];
    /** Ingest's cache of sensor registrations and rules (read every time without one). */
    statics?: SensorStaticsCache;
    /** The early warning's settings (ingest's configuration); the defaults without one. */
    earlyWarning?: TEarlyWarningConfig;
  },
): Promise<PreparedAlarmEvaluation> {
  const loaded = await lockAndLoadSensorContexts(db, {
    sensorIds: input.readingSensorIds,
    lockOnly: input.lockSensorIds,
    cache: input.statics,
  });
  return { ...loaded, earlyWarning: input.earlyWarning ?? defaultEarlyWarningConfig };
}

/** The sensor's latest stored reading before this flush (what rollups need to tell new readings). */
export function priorLatestReading(prepared: PreparedAlarmEvaluation, sensorId: number): Date | null {
  return prepared.priors.get(sensorId) ?? null;
}

/** The fold state a tracker row stands for (no row: nothing folded, no run). */
export function trackerState(row: TrackerRow | undefined): TrackerState {
  if (!row) return emptyTrackerState;
  const episode: EpisodeState | null =
    row.episodeStartedAt === null
      ? null
      : {
          startedAt: row.episodeStartedAt.getTime(),
          lastOutOfRangeAt: (row.lastOutOfRangeAt ?? row.episodeStartedAt).getTime(),
          peak: row.peakCentiC ?? row.lastCentiC,
          min: row.minCentiC ?? row.lastCentiC,
          exposure: row.heatExposureCentiDegreeHours,
          alarmed: row.alarmId !== null,
        };
  return { lastReadingAt: row.lastReadingAt.getTime(), lastValue: row.lastCentiC, episode };
}

const toAlarmReading = (row: ReadingRow): AlarmReading => ({
  ts: row.ts.getTime(),
  tempCentiC: row.tempCentiC,
  batteryPct: row.batteryPct,
});

/** This flush's readings of one sensor, in ts order, the first of two with the same ts kept (as stored). */
function newReadingsInOrder(rows: readonly ReadingRow[]): AlarmReading[] {
  const seen = new Set<number>();
  const unique: AlarmReading[] = [];
  for (const row of rows) {
    const ts = row.ts.getTime();
    if (seen.has(ts)) continue;
    seen.add(ts);
    unique.push(toAlarmReading(row));
  }
  return unique.sort((a, b) => a.ts - b.ts);
}

/** Fast path: fold the new readings into each tracker; alarms follow the fold's events. */
function planFold(changes: AlarmChanges, ctx: SensorAlarmContext, readings: readonly AlarmReading[]): void {
  for (const rule of ctx.rules.fold) {
    if (!rule.enabled) continue;
    const before = ctx.trackers.get(rule.type);
    const state = trackerState(before);
    const folded = foldReadings(state, readings, rule);
    const runs = new Map<number, { episode: EpisodeState; alarmAt: number | null; endedAt: number | null }>();
    for (const event of folded.events) {
      const run = runs.get(event.episode.startedAt) ?? { episode: event.episode, alarmAt: null, endedAt: null };
      run.episode = event.episode;
      if (event.kind === "opened") run.alarmAt = event.alarmAt;
      if (event.kind === "ended") run.endedAt = event.endedAt;
      runs.set(event.episode.startedAt, run);
    }
    let running: AlarmRef | null = null;
    for (const { episode, alarmAt, endedAt } of runs.values()) {
      if (!episode.alarmed) continue;
      const full: Episode = {
        ...episode,
        endedAt,
        durationMs: episode.lastOutOfRangeAt - episode.startedAt,
        alarmAt,
      };
      const continuing =
        state.episode?.alarmed && state.episode.startedAt === episode.startedAt ? before?.alarmId : null;
      if (continuing) {
        changes.updates.push({
          ctx,
          type: rule.type,
          alarmId: continuing,
          values: episodeValues(full),
          resolve: endedAt !== null,
        });
        if (endedAt === null) running = { id: continuing };
      } else {
        const planned = changes.create(ctx, rule.type, full);
        if (endedAt === null) running = { create: planned };
      }
    }
    if (!running && folded.state.episode?.alarmed && before?.alarmId) running = { id: before.alarmId };
    changes.tracker(ctx, rule, before, folded.state, running);
  }
}

/** Slow path: recompute each affected window from the stored readings, then reconcile. */
async function planRecompute(
  db: Executor,
  changes: AlarmChanges,
  sensors: readonly { ctx: SensorAlarmContext; earliest: Date }[],
): Promise<void> {
  changes.slowPathSensors += sensors.length;
  const windows = await findWindowStarts(db, sensors);
  const readings = await findWindowReadings(db, windows);
  const stored = await findStoredAlarms(db, windows);
  for (const { ctx } of sensors) {
    const window = windows.get(ctx.sensorId);
    const sensorReadings = readings.get(ctx.sensorId) ?? [];
    for (const rule of ctx.rules.fold) {
      if (!rule.enabled || !window) continue;
      const anchor = window.anchors.get(rule.type) ?? null;
      const inWindow = anchor === null ? sensorReadings : sensorReadings.filter((reading) => reading.ts >= anchor);
      const { episodes, state } = detectEpisodes(inWindow, rule);
      const candidates = (stored.get(ctx.sensorId) ?? []).filter(
        (alarm) => alarm.type === rule.type && (anchor === null || alarm.startedAt > anchor || alarm.live),
      );
      const plan = reconcileAlarms(candidates, episodes);
      for (const alarm of plan.retracts) changes.retracts.push({ ctx, type: rule.type, alarm });
      for (const update of plan.updates) {
        const before = candidates.find((alarm) => alarm.id === update.alarmId);
        changes.updates.push({
          ctx,
          type: rule.type,
          alarmId: update.alarmId,
          values: episodeValues(update.episode),
          resolve: update.resolve,
          moved: update.moved,
          stored: before && {
            startedAt: new Date(before.startedAt),
            openedAt: before.openedAt === null ? null : new Date(before.openedAt),
            detectedAt: before.detectedAt === null ? null : new Date(before.detectedAt),
            detectedLate: before.detectedLate,
            status: before.status,
          },
        });
      }
      let running: AlarmRef | null = plan.running && "alarmId" in plan.running ? { id: plan.running.alarmId } : null;
      for (const episode of plan.creates) {
        const planned = changes.create(ctx, rule.type, episode);
        if (plan.running && "created" in plan.running && plan.running.created === episode)
          running = { create: planned };
      }
      changes.tracker(ctx, rule, ctx.trackers.get(rule.type), state, running);
    }
  }
}

/**
 * NO_DATA ends when data is current again: a reading newer than the silence's start arrived and
 * the sensor's latest reading is within its silence threshold of now (a buffer that only
 * partly fills the gap leaves it open). It ends at the first reading after the silence.
 */
function planNoDataEnd(changes: AlarmChanges, ctx: SensorAlarmContext, rows: readonly ReadingRow[]): void {
  const tracker = ctx.trackers.get("no_data");
  if (!tracker?.alarmId || !tracker.episodeStartedAt) return;
  const silenceStart = tracker.episodeStartedAt.getTime();
  const after = rows.filter((row) => row.ts.getTime() > silenceStart);
  if (after.length === 0) return;
  const first = after.reduce((a, b) => (b.ts < a.ts ? b : a));
  const latest = rows.reduce((a, b) => (b.ts > a.ts ? b : a));
  const latestMs = Math.max(latest.ts.getTime(), ctx.priorLastReadingAt?.getTime() ?? 0);
  const threshold = noDataThresholdMs(ctx.expectedIntervalSeconds, ctx.rules.noData.durationSeconds);
  if (changes.now.getTime() - latestMs > threshold) return;
  const endedAt = first.ts;
  changes.updates.push({
    ctx,
    type: "no_data",
    alarmId: tracker.alarmId,
    values: {
      startedAt: tracker.episodeStartedAt,
      openedAt: null, // unchanged: set when the check opened it
      lastOutOfRangeAt: null,
      endedAt,
      durationSeconds: Math.floor((endedAt.getTime() - silenceStart) / 1000),
      peakCentiC: null,
      minCentiC: null,
      heatExposureCentiDegreeHours: 0,
    },
    resolve: true,
  });
  changes.trackers.push({
    sensorId: ctx.sensorId,
    type: "no_data",
    lastReadingAt: new Date(latestMs),
    lastValue: latest.tempCentiC,
    episode: null,
    alarm: null,
  });
}

/**
 * Evaluates this flush's readings (already stored in the same transaction) and writes alarms,
 * trackers and notices: retractions, then updates (which free live keys), then creations, then
 * trackers and the outbox — a handful of statements per flush, more only when alarms change.
 * Then the early warnings of the sensors whose readings come near a limit (early-warnings.ts).
 */
export async function evaluateAlarms(
  db: Executor,
  prepared: PreparedAlarmEvaluation,
  rows: readonly ReadingRow[],
  now: Date,
): Promise<FlushAlarmOutcome> {
  const changes = new AlarmChanges(now);
  const bySensor = new Map<number, ReadingRow[]>();
  for (const row of rows) {
    const list = bySensor.get(row.sensorId) ?? [];
    list.push(row);
    bySensor.set(row.sensorId, list);
  }
  const slow: { ctx: SensorAlarmContext; earliest: Date }[] = [];
  for (const [sensorId, sensorRows] of bySensor) {
    const ctx = prepared.contexts.get(sensorId);
    if (!ctx) continue;
    const prior = ctx.priorLastReadingAt?.getTime();
    const earliest = sensorRows.reduce((a, b) => (b.ts < a.ts ? b : a)).ts;
    if (prior !== undefined && earliest.getTime() <= prior) slow.push({ ctx, earliest });
    else planFold(changes, ctx, newReadingsInOrder(sensorRows));
    planNoDataEnd(changes, ctx, sensorRows);
  }
  if (slow.length > 0) await planRecompute(db, changes, slow);
  const outcome = await applyChanges(db, changes);
  const earlyWarnings = await evaluateEarlyWarnings(db, prepared.contexts, bySensor, now, prepared.earlyWarning);
  return { ...outcome, earlyWarnings };
}
