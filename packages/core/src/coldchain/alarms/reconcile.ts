import type { Episode } from "./episodes";

/**
 * Reconciliation after late or out-of-order readings: the alarms stored for a window against the
 * alarmed runs recomputed from every reading in it. Readings are only ever added, so a stored
 * alarm's run can grow (a late out-of-range reading) or split (a late in-range reading inside
 * it), never merge with another. Alarms are never deleted: one no longer supported is retracted.
 */

/** A stored alarm, as far as reconciliation needs it (times in epoch ms). */
export interface StoredAlarm {
  id: number;
  startedAt: number;
  /** Device time the run reached the rule's duration (null: not recorded, an alarm from before it was). */
  openedAt: number | null;
  /** Server time the alarm was raised. */
  detectedAt: number | null;
  lastOutOfRangeAt: number | null;
  endedAt: number | null;
  /** Open or acknowledged (holds the live key). */
  live: boolean;
  peakCentiC: number | null;
  minCentiC: number | null;
  heatExposureCentiDegreeHours: number;
  durationSeconds: number;
}

export interface AlarmUpdatePlan {
  alarmId: number;
  episode: Episode;
  /** The run has ended and the alarm was still live: resolve it. */
  resolve: boolean;
  /** The run's start or the time it reached the rule's duration is not the stored one (announced). */
  moved: boolean;
}

export interface ReconcilePlan {
  /** Alarmed runs without an alarm: create (late-discovered ones among them). */
  creates: Episode[];
  /** Stored alarms whose run changed (start, end, peak, duration…) or ended. */
  updates: AlarmUpdatePlan[];
  /** Stored alarms that no run supports any more. */
  retracts: StoredAlarm[];
  /** The alarm of the run still going on, if it is alarmed: an existing one or one of `creates`. */
  running: { alarmId: number } | { created: Episode } | null;
}

const durationSecondsOf = (episode: Episode) => Math.floor(episode.durationMs / 1000);

function overlaps(alarm: StoredAlarm, episode: Episode): boolean {
  return (
    alarm.startedAt <= episode.lastOutOfRangeAt && (alarm.lastOutOfRangeAt ?? alarm.startedAt) >= episode.startedAt
  );
}

/** Late readings moved when the run began or when it reached the rule's duration. */
function moved(alarm: StoredAlarm, episode: Episode): boolean {
  return alarm.startedAt !== episode.startedAt || alarm.openedAt !== episode.alarmAt;
}

function differs(alarm: StoredAlarm, episode: Episode): boolean {
  return (
    moved(alarm, episode) ||
    alarm.lastOutOfRangeAt !== episode.lastOutOfRangeAt ||
    alarm.endedAt !== episode.endedAt ||
    alarm.peakCentiC !== episode.peak ||
    alarm.minCentiC !== episode.min ||
    alarm.heatExposureCentiDegreeHours !== episode.exposure ||
    alarm.durationSeconds !== durationSecondsOf(episode)
  );
}

/**
 * Matches each alarmed run (oldest first) with the earliest unmatched stored alarm overlapping
 * it. A run still going on matches only a live alarm (a resolved alarm stays resolved: if its run
 * continues under changed rules, it is retracted and a new alarm opens). `stored` are the
 * non-retracted alarms of one sensor and type that start inside the recomputed window.
 */
export function reconcileAlarms(stored: readonly StoredAlarm[], detected: readonly Episode[]): ReconcilePlan {
  const alarmedRuns = detected.filter((episode) => episode.alarmAt !== null);
  const unmatched = [...stored].sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
  const plan: ReconcilePlan = { creates: [], updates: [], retracts: [], running: null };
  for (const episode of [...alarmedRuns].sort((a, b) => a.startedAt - b.startedAt)) {
    const index = unmatched.findIndex((alarm) => overlaps(alarm, episode) && (episode.endedAt !== null || alarm.live));
    const alarm = index >= 0 ? unmatched.splice(index, 1)[0] : undefined;
    if (!alarm) {
      plan.creates.push(episode);
      if (episode.endedAt === null) plan.running = { created: episode };
      continue;
    }
    const resolve = episode.endedAt !== null && alarm.live;
    if (resolve || differs(alarm, episode)) {
      plan.updates.push({ alarmId: alarm.id, episode, resolve, moved: moved(alarm, episode) });
    }
    if (episode.endedAt === null) plan.running = { alarmId: alarm.id };
  }
  plan.retracts = unmatched;
  return plan;
}
