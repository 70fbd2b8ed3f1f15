import type { DeadLetterRow, ReadingRow, SensorRef } from "@rantai/core/coldchain/readings-store";
import {
  describeTopicMismatch,
  type ParsedReadings,
  type ParsedStatus,
  parseReadingsPayload,
  parseSensorTopic,
  parseStatusPayload,
  printable,
  type Rejection,
  type RejectionCode,
} from "@rantai/core/coldchain/sensor-protocol";
import type { BatchItem } from "./batcher";

/**
 * A received MQTT message, parsed on arrival (pure, cheap) so the batcher knows its row count.
 * What to write is decided at flush time, once the device ids are resolved.
 *
 * Nothing thrown while handling one message may escape it: an exception would reach mqtt.js,
 * kill the process before the PUBACK, and the broker would hand the same message to the next
 * process — one device stopping every fridge. So routing and planning catch everything, and a
 * message they fail on becomes an `internal_error` dead letter, acked after it commits.
 */
export type Route =
  | { kind: "readings"; deviceId: string; parsed: ParsedReadings }
  | { kind: "status"; deviceId: string; status: ParsedStatus }
  | { kind: "bad_topic" }
  /** Routing threw (a bug in ingest, never the device's fault); dead-lettered as internal_error. */
  | { kind: "failed"; deviceId: string | null; reason: string };

export type RouteKind = Route["kind"];

export interface IngestMessage extends BatchItem {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  route: Route;
}

/** Topic and payload → what to do with them. Never throws. */
export function routeMessage(topic: string, payload: Buffer, receivedAt: Date): Route {
  try {
    return routeOrThrow(topic, payload, receivedAt);
  } catch (error) {
    let deviceId: string | null = null;
    try {
      deviceId = parseSensorTopic(topic)?.deviceId ?? null;
    } catch {
      // The topic is kept in the dead letter either way.
    }
    return { kind: "failed", deviceId, reason: describeFailure("reading", error) };
  }
}

function routeOrThrow(topic: string, payload: Buffer, receivedAt: Date): Route {
  const parsedTopic = parseSensorTopic(topic);
  if (!parsedTopic) return { kind: "bad_topic" };
  if (parsedTopic.channel === "status") {
    return {
      kind: "status",
      deviceId: parsedTopic.deviceId,
      status: parseStatusPayload(payload, parsedTopic.deviceId),
    };
  }
  return {
    kind: "readings",
    deviceId: parsedTopic.deviceId,
    parsed: parseReadingsPayload(payload, receivedAt, parsedTopic.deviceId),
  };
}

export function rowsOf(route: Route): number {
  return route.kind === "readings" ? route.parsed.accepted.length : 0;
}

export function deviceIdOf(route: Route): string | null {
  return route.kind === "bad_topic" ? null : route.deviceId;
}

/** The reason of an internal_error dead letter: what failed, and that the device is not at fault. */
export function describeFailure(stage: "reading" | "planning", error: unknown): string {
  let what: string;
  try {
    what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    what = "an error that cannot be described";
  }
  return (
    `ingest failed while ${stage === "reading" ? "reading" : "planning the rows of"} this message ` +
    `(${printable(what, 300)}); the message is kept here unchanged and acknowledged so that ingest ` +
    "carries on. This is a fault in ingest, not in the device: report it with this dead letter"
  );
}

/**
 * A stable number for a device id (FNV-1a), so all of a device's messages go to the same flush
 * lane. Messages without a device (bad topics) share lane 0.
 */
export function laneHash(deviceId: string | null): number {
  if (deviceId === null) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i += 1) {
    hash ^= deviceId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface FlushPlan {
  readingRows: ReadingRow[];
  deadLetters: DeadLetterRow[];
  statuses: { sensorId: number; online: boolean; at: Date }[];
  /** Readings (or whole messages) per rejection code, for the rejected counter. */
  rejected: Map<RejectionCode, number>;
  /** Accepted + rejected entries of every message; = stored + duplicate + rejected. */
  received: number;
  statusCleared: number;
  messages: Map<RouteKind, number>;
  /** Messages whose planning threw: none of their rows are written, only their dead letter. */
  failed: Set<IngestMessage>;
}

/** details.rejected of a multi-rejection dead letter carries reasons for this many entries. */
export const DETAILED_REJECTIONS = 100;
const DETAILED_REASON_CHARS = 300;

const SOURCE = "mqtt";

/** Decides, for messages whose device ids are resolved, which rows to write. Pure. */
export function planFlush(messages: readonly IngestMessage[], sensors: ReadonlyMap<string, SensorRef>): FlushPlan {
  const plan: FlushPlan = {
    readingRows: [],
    deadLetters: [],
    statuses: [],
    rejected: new Map(),
    received: 0,
    statusCleared: 0,
    messages: new Map(),
    failed: new Set(),
  };
  const count = (code: RejectionCode, n: number) => plan.rejected.set(code, (plan.rejected.get(code) ?? 0) + n);
  const deadLetter = (message: IngestMessage, deviceId: string | null, rejection: Rejection, details?: unknown) =>
    plan.deadLetters.push({
      source: SOURCE,
      topic: message.topic,
      deviceId,
      reasonCode: rejection.code,
      reason: rejection.reason,
      readingIndex: rejection.index,
      payload: message.payload,
      details,
      receivedAt: message.receivedAt,
    });

  for (const message of messages) {
    // Rows of a message are added whole or not at all: on a throw, cut back to these marks.
    const marks = [plan.readingRows.length, plan.deadLetters.length, plan.statuses.length] as const;
    let counts: MessageCounts;
    try {
      counts = planMessage(plan, message, sensors, deadLetter);
    } catch (error) {
      plan.readingRows.length = marks[0];
      plan.deadLetters.length = marks[1];
      plan.statuses.length = marks[2];
      const rejection: Rejection = { index: null, code: "internal_error", reason: describeFailure("planning", error) };
      deadLetter(message, deviceIdOf(message.route), rejection);
      plan.failed.add(message);
      counts = { kind: "failed", received: 1, rejected: [["internal_error", 1]], cleared: 0 };
    }
    plan.messages.set(counts.kind, (plan.messages.get(counts.kind) ?? 0) + 1);
    plan.received += counts.received;
    plan.statusCleared += counts.cleared;
    for (const [code, n] of counts.rejected) count(code, n);
  }
  return plan;
}

/** What one message adds to the counters, applied only once its rows are all planned. */
interface MessageCounts {
  kind: RouteKind;
  received: number;
  rejected: [RejectionCode, number][];
  cleared: number;
}

type AddDeadLetter = (message: IngestMessage, deviceId: string | null, rejection: Rejection, details?: unknown) => void;

function planMessage(
  plan: FlushPlan,
  message: IngestMessage,
  sensors: ReadonlyMap<string, SensorRef>,
  deadLetter: AddDeadLetter,
): MessageCounts {
  const { route } = message;
  const counts: MessageCounts = { kind: route.kind, received: 0, rejected: [], cleared: 0 };
  if (route.kind === "bad_topic" || route.kind === "failed") {
    const rejection: Rejection =
      route.kind === "bad_topic"
        ? { index: null, code: "topic_mismatch", reason: describeTopicMismatch(message.topic) }
        : { index: null, code: "internal_error", reason: route.reason };
    deadLetter(message, route.kind === "failed" ? route.deviceId : null, rejection);
    return { ...counts, received: 1, rejected: [[rejection.code, 1]] };
  }
  const entries = route.kind === "readings" ? route.parsed.accepted.length + route.parsed.rejected.length : 1;
  const sensor = sensors.get(route.deviceId);
  if (!sensor?.active) {
    const rejection = unregistered(route.deviceId, sensor);
    deadLetter(message, route.deviceId, rejection);
    return { ...counts, received: entries, rejected: [[rejection.code, entries]] };
  }
  if (route.kind === "status") {
    const { status } = route;
    if (status.kind === "status") {
      plan.statuses.push({ sensorId: sensor.id, online: status.online, at: message.receivedAt });
      return counts;
    }
    if (status.kind === "cleared") return { ...counts, cleared: 1 };
    deadLetter(message, route.deviceId, { index: null, code: status.code, reason: status.reason });
    return { ...counts, received: 1, rejected: [[status.code, 1]] };
  }
  const { accepted, rejected } = route.parsed;
  for (const reading of accepted)
    plan.readingRows.push({ sensorId: sensor.id, receivedAt: message.receivedAt, ...reading });
  const [first] = rejected;
  if (first && rejected.length === 1) deadLetter(message, route.deviceId, first);
  else if (first) deadLetter(message, route.deviceId, summarize(rejected, entries), { rejected: detailed(rejected) });
  return { ...counts, received: entries, rejected: rejected.map((rejection) => [rejection.code, 1]) };
}

/**
 * Every rejected entry's index and code, and the reasons of the first DETAILED_REJECTIONS
 * (shortened): a 1000-reading batch of bad readings stays a few tens of KB of JSON.
 */
function detailed(rejected: readonly Rejection[]): Partial<Rejection>[] {
  return rejected.map(({ index, code, reason }, i) =>
    i < DETAILED_REJECTIONS ? { index, code, reason: printable(reason, DETAILED_REASON_CHARS) } : { index, code },
  );
}

function unregistered(deviceId: string, sensor: SensorRef | undefined): Rejection {
  return sensor
    ? {
        index: null,
        code: "inactive_device",
        reason: `sensor ${deviceId} is deactivated in Rantai; reactivate it or stop the device`,
      }
    : {
        index: null,
        code: "unknown_device",
        reason: `no sensor with deviceId ${deviceId} is registered; register it in Rantai or fix the deviceId in the topic`,
      };
}

/** Several bad readings in one message: one dead letter (index null), all of them in details. */
function summarize(rejected: readonly Rejection[], total: number): Rejection {
  const [first] = rejected;
  const lines = rejected.slice(0, 10).map((rejection) => `[${rejection.index}] ${rejection.reason}`);
  const more = rejected.length > 10 ? `; and ${rejected.length - 10} more (see details)` : "";
  return {
    index: null,
    code: first?.code ?? "invalid_reading",
    reason: `${rejected.length} of ${total} readings rejected: ${lines.join("; ")}${more}`,
  };
}
