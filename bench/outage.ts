import { readFileSync } from "node:fs";
import { memoryOf } from "./common";

/*
 * Pieces of the database-outage soak (`npm run bench:ingest -- --outage SECONDS`) that do not
 * need the running system: the broker's queue limits and the outage they survive (promise B4),
 * the resident-set sampler, and the exact comparison of the published and the stored sets.
 */

export interface BrokerQueueLimits {
  /** `max_queued_messages`: per client session. */
  messages: number;
  /** `max_queued_bytes`: per client session, counted on payloads; 0 = no byte limit. */
  bytes: number;
}

/** The queue limits in a Mosquitto config file. */
export function readBrokerQueueLimits(configPath: string): BrokerQueueLimits {
  const config = readFileSync(configPath, "utf8");
  const setting = (name: string) => {
    const match = new RegExp(`^${name}\\s+(\\d+)\\s*$`, "m").exec(config);
    if (!match?.[1]) throw new Error(`the broker template sets no ${name}`);
    return Number(match[1]);
  };
  // Without a byte cap Mosquitto queues by count alone (its default is 0, unlimited).
  const bytes = /^max_queued_bytes\s/m.test(config) ? setting("max_queued_bytes") : 0;
  return { messages: setting("max_queued_messages"), bytes };
}

/**
 * Promise B4: survivable ingest outage = broker queue ÷ message rate. While ingest cannot commit,
 * the broker queues each message for one session of `$share/ingest` (round robin), so the queue
 * is the per-session limit — by count, or by bytes at this payload size, whichever is reached
 * first — times the sessions. Beyond it Mosquitto drops messages silently.
 */
export function survivableOutageSeconds(input: {
  limits: BrokerQueueLimits;
  sessions: number;
  messageBytes: number;
  messagesPerSecond: number;
}): number {
  const { limits, sessions, messageBytes, messagesPerSecond } = input;
  const byBytes = limits.bytes > 0 ? Math.floor(limits.bytes / Math.max(1, messageBytes)) : Number.POSITIVE_INFINITY;
  const perSession = Math.min(limits.messages, byBytes);
  return Math.floor((perSession * sessions) / messagesPerSecond);
}

export type SoakPhase = "before" | "outage" | "after";

/**
 * Reads VmRSS from /proc every second and keeps the peak of each phase, so a slow climb during
 * the outage shows up even if the collector trims it again before the end. With several
 * processes (replicas), the largest one counts: each has its own memory limit.
 */
export function startRssSampler(pids: readonly number[]) {
  let phase: SoakPhase = "before";
  let current = 0;
  const peaks: Record<SoakPhase, number> = { before: 0, outage: 0, after: 0 };
  const sample = () => {
    const sizes = pids.map((pid) => memoryOf(pid)?.rssMb ?? 0);
    current = Math.max(0, ...sizes);
    peaks[phase] = Math.max(peaks[phase], current);
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    setPhase(next: SoakPhase) {
      sample();
      phase = next;
      sample();
    },
    get currentMb() {
      return current;
    },
    peaks,
    stop() {
      sample();
      clearInterval(timer);
    },
  };
}

/** `index, ts` pairs, flattened, as the publishers report them. */
export type PublishedPairs = readonly number[];

const keyOf = (index: number, ts: number) => `${index}:${ts}`;

/**
 * The stored set against the published one. `acked` publishes must each be stored once;
 * `unacked` ones (no PUBACK: the publisher cannot know) may be stored or not; a stored reading
 * that is neither was never published. Duplicates are rows beyond the first per (sensor, ts).
 */
export function compareStored(input: {
  acked: readonly PublishedPairs[];
  unacked: readonly PublishedPairs[];
  stored: Iterable<{ index: number; ts: number }>;
}) {
  const counts = new Map<string, number>();
  for (const row of input.stored) {
    const key = keyOf(row.index, row.ts);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let published = 0;
  let lost = 0;
  let duplicated = 0;
  const seen = new Set<string>();
  const visit = (pairs: PublishedPairs, mustBeStored: boolean) => {
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const key = keyOf(pairs[i] ?? -1, pairs[i + 1] ?? -1);
      if (seen.has(key)) continue;
      seen.add(key);
      const times = counts.get(key) ?? 0;
      if (mustBeStored) published += 1;
      if (mustBeStored && times === 0) lost += 1;
      if (times > 1) duplicated += times - 1;
    }
  };
  for (const pairs of input.acked) visit(pairs, true);
  for (const pairs of input.unacked) visit(pairs, false);
  let unexpected = 0;
  for (const [key, times] of counts) if (!seen.has(key)) unexpected += times;
  return { published, lost, duplicated, unexpected };
}

/** How many acknowledged publishes carry a device time before `at`. */
export function countPublishedBefore(acked: readonly PublishedPairs[], at: number): number {
  let count = 0;
  for (const pairs of acked) for (let i = 1; i < pairs.length; i += 2) if ((pairs[i] ?? at) < at) count += 1;
  return count;
}

/** The first sample at which `target` readings were stored; null if none reached it. */
export function firstReaching(samples: readonly { at: number; stored: number }[], target: number): number | null {
  return samples.find((sample) => sample.stored >= target)?.at ?? null;
}
