import type { AlarmType, Executor } from "@rantai/db";
import type { SensorAlarmContext, TrackerRow } from "./context";
import type { Episode, TrackerState } from "./episodes";
import { type AlarmNotice, noticesOf } from "./live";
import { type AlarmEvent, type AlarmStatus, type AlarmValues, writeAlarmEvents } from "./outbox";
import type { StoredAlarm } from "./reconcile";
import type { AlarmRule } from "./rules";
import { insertAlarm, retractAlarms, type TrackerRowWrite, updateAlarms, upsertTrackers } from "./store";

/**
 * What one flush changes about alarms, planned first (by the fold or the recomputation in
 * evaluate.ts) and then written with one statement per kind of write.
 */

/** An alarm found more than this long after the device time it fired at was "detected late". */
export const LATE_DETECTION_MS = 15 * 60_000;

export interface AlarmOutcome {
  /** Alarms created, with the device time each fired at (for the open-delay histogram). */
  opened: { type: AlarmType; alarmAt: Date | null; detectedLate: boolean }[];
  resolved: number;
  retracted: number;
  /** Sensors recomputed from stored readings (late or duplicate readings). */
  slowPathSensors: number;
  /** One per notice written: what the live inbox is told once the transaction has committed. */
  notices: AlarmNotice[];
}

export type AlarmRef = { id: number } | { create: PlannedCreate };

export interface PlannedCreate {
  ctx: SensorAlarmContext;
  type: AlarmType;
  values: AlarmValues;
  alarmAt: Date | null;
  detectedLate: boolean;
  created?: { id: number; status: AlarmStatus };
}

export interface PlannedUpdate {
  ctx: SensorAlarmContext;
  type: AlarmType;
  alarmId: number;
  values: AlarmValues;
  resolve: boolean;
  /** The alarm as stored before this flush, when the recomputation read it. */
  stored?: StoredAlarmFacts | undefined;
  /** Late readings moved the alarm's start or opened time (announced as `updated`). */
  moved?: boolean;
}

/** What the notices of an updated alarm repeat from its stored row. */
export interface StoredAlarmFacts {
  startedAt: Date;
  openedAt: Date | null;
  detectedAt: Date | null;
  detectedLate: boolean;
  status: AlarmStatus;
}

export interface PlannedTracker extends Omit<TrackerRowWrite, "alarmId"> {
  alarm: AlarmRef | null;
}

/** Everything one flush will write, gathered first so that each kind of write is one statement. */
export class AlarmChanges {
  creates: PlannedCreate[] = [];
  updates: PlannedUpdate[] = [];
  retracts: { ctx: SensorAlarmContext; type: AlarmType; alarm: StoredAlarm }[] = [];
  trackers: PlannedTracker[] = [];
  slowPathSensors = 0;

  constructor(readonly now: Date) {}

  create(ctx: SensorAlarmContext, type: AlarmType, episode: Episode): PlannedCreate {
    const alarmAt = episode.alarmAt === null ? null : new Date(episode.alarmAt);
    const detectedLate = episode.alarmAt !== null && this.now.getTime() - episode.alarmAt > LATE_DETECTION_MS;
    const planned = { ctx, type, values: episodeValues(episode), alarmAt, detectedLate };
    this.creates.push(planned);
    return planned;
  }

  tracker(
    ctx: SensorAlarmContext,
    rule: AlarmRule,
    before: TrackerRow | undefined,
    state: TrackerState,
    alarm: AlarmRef | null,
  ) {
    const lastReadingAt = state.lastReadingAt ?? before?.lastReadingAt.getTime() ?? null;
    const lastValue = state.lastValue ?? before?.lastCentiC ?? null;
    if (lastReadingAt === null || lastValue === null) return;
    if (!state.episode && !before?.episodeStartedAt && !before?.alarmId) return; // nothing to remember
    const alarmId = alarm && "id" in alarm ? alarm.id : null;
    if (before && sameTracker(before, state, alarmId) && !(alarm && "create" in alarm)) return;
    this.trackers.push({
      sensorId: ctx.sensorId,
      type: rule.type,
      lastReadingAt: new Date(lastReadingAt),
      lastValue,
      episode: state.episode,
      alarm,
    });
  }
}

function sameTracker(row: TrackerRow, state: TrackerState, alarmId: number | null): boolean {
  const episode = state.episode;
  return (
    row.lastReadingAt.getTime() === state.lastReadingAt &&
    row.lastCentiC === state.lastValue &&
    (row.episodeStartedAt?.getTime() ?? null) === (episode?.startedAt ?? null) &&
    (row.lastOutOfRangeAt?.getTime() ?? null) === (episode?.lastOutOfRangeAt ?? null) &&
    row.peakCentiC === (episode?.peak ?? null) &&
    row.minCentiC === (episode?.min ?? null) &&
    row.heatExposureCentiDegreeHours === (episode?.exposure ?? 0) &&
    row.alarmId === alarmId
  );
}

export function episodeValues(episode: Episode): AlarmValues {
  return {
    startedAt: new Date(episode.startedAt),
    openedAt: episode.alarmAt === null ? null : new Date(episode.alarmAt),
    lastOutOfRangeAt: new Date(episode.lastOutOfRangeAt),
    endedAt: episode.endedAt === null ? null : new Date(episode.endedAt),
    durationSeconds: Math.floor(episode.durationMs / 1000),
    peakCentiC: episode.peak,
    minCentiC: episode.min,
    heatExposureCentiDegreeHours: episode.exposure,
  };
}

/**
 * Writes the planned changes: retractions, then updates (which free live keys), then creations,
 * then trackers and the outbox.
 */
export async function applyChanges(db: Executor, changes: AlarmChanges): Promise<AlarmOutcome> {
  const { now } = changes;
  const events: AlarmEvent[] = [];
  const event = (
    planned: { ctx: SensorAlarmContext; type: AlarmType; values: AlarmValues },
    alarmId: number,
    name: AlarmEvent["event"],
    status: AlarmStatus,
    extra: Pick<AlarmEvent, "alarmAt" | "detectedLate" | "detectedAt" | "previous">,
  ) =>
    events.push({
      alarmId,
      event: name,
      type: planned.type,
      status,
      subject: planned.ctx,
      values: planned.values,
      ...extra,
    });

  await retractAlarms(
    db,
    changes.retracts.map(({ alarm }) => alarm.id),
    now,
  );
  for (const { ctx, type, alarm } of changes.retracts) {
    const values: AlarmValues = {
      startedAt: new Date(alarm.startedAt),
      openedAt: alarm.openedAt === null ? null : new Date(alarm.openedAt),
      lastOutOfRangeAt: alarm.lastOutOfRangeAt === null ? null : new Date(alarm.lastOutOfRangeAt),
      endedAt: alarm.endedAt === null ? null : new Date(alarm.endedAt),
      durationSeconds: alarm.durationSeconds,
      peakCentiC: alarm.peakCentiC,
      minCentiC: alarm.minCentiC,
      heatExposureCentiDegreeHours: alarm.heatExposureCentiDegreeHours,
    };
    event({ ctx, type, values }, alarm.id, "retracted", "retracted", {
      alarmAt: null,
      detectedLate: false,
      detectedAt: alarm.detectedAt === null ? null : new Date(alarm.detectedAt),
    });
  }

  await updateAlarms(db, changes.updates, now);
  for (const update of changes.updates) {
    const { stored } = update;
    const known = { detectedLate: stored?.detectedLate ?? false, detectedAt: stored?.detectedAt ?? null };
    // Downstream copies (notifier, integrations) hold the start and opened time: tell them they moved.
    if (update.moved && stored) {
      event(update, update.alarmId, "updated", update.resolve ? "resolved" : stored.status, {
        alarmAt: update.values.openedAt,
        ...known,
        previous: { startedAt: stored.startedAt, openedAt: stored.openedAt },
      });
    }
    if (update.resolve) event(update, update.alarmId, "resolved", "resolved", { alarmAt: null, ...known });
  }

  const opened: AlarmOutcome["opened"] = [];
  for (const planned of changes.creates) {
    const created = await insertAlarm(
      db,
      { subject: planned.ctx, type: planned.type, values: planned.values, detectedLate: planned.detectedLate },
      now,
    );
    planned.created = created;
    const extra = { alarmAt: planned.alarmAt, detectedLate: planned.detectedLate, detectedAt: now };
    event(planned, created.id, planned.detectedLate ? "late" : "opened", created.status, extra);
    if (planned.values.endedAt !== null) event(planned, created.id, "resolved", "resolved", extra);
    opened.push({ type: planned.type, alarmAt: planned.alarmAt, detectedLate: planned.detectedLate });
  }

  await upsertTrackers(
    db,
    changes.trackers.map(({ alarm, ...row }) => ({
      ...row,
      alarmId: alarm === null ? null : "id" in alarm ? alarm.id : (alarm.create.created?.id ?? null),
    })),
    now,
  );
  await writeAlarmEvents(db, events);
  return {
    opened,
    resolved: events.filter((entry) => entry.event === "resolved").length,
    retracted: changes.retracts.length,
    slowPathSensors: changes.slowPathSensors,
    notices: noticesOf(events),
  };
}
