import type { DeadLetterRow, ReadingRow, SensorRef } from "@rantai/api/coldchain/readings-store";
import {
  describeTopicMismatch,
  type ParsedReadings,
  type ParsedStatus,
  parseReadingsPayload,
  parseSensorTopic,
  parseStatusPayload,
  type Rejection,
  type RejectionCode,
} from "@rantai/api/coldchain/sensor-protocol";
import type { BatchItem } from "./batcher";

/**
 * A received MQTT message, parsed on arrival (pure, cheap) so the batcher knows its row count.
 * What to write is decided at flush time, once the device ids are resolved.
 */
export type Route =
  | { kind: "readings"; deviceId: string; parsed: ParsedReadings }
  | { kind: "status"; deviceId: string; status: ParsedStatus }
  | { kind: "bad_topic" };

export interface IngestMessage extends BatchItem {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  route: Route;
}

export function routeMessage(topic: string, payload: Buffer, receivedAt: Date): Route {
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
  messages: Map<"readings" | "status" | "bad_topic", number>;
}

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
    const { route } = message;
    plan.messages.set(route.kind, (plan.messages.get(route.kind) ?? 0) + 1);
    if (route.kind === "bad_topic") {
      plan.received += 1;
      count("topic_mismatch", 1);
      deadLetter(message, null, { index: null, code: "topic_mismatch", reason: describeTopicMismatch(message.topic) });
      continue;
    }
    const entries = route.kind === "readings" ? route.parsed.accepted.length + route.parsed.rejected.length : 1;
    const sensor = sensors.get(route.deviceId);
    if (!sensor?.active) {
      const rejection = unregistered(route.deviceId, sensor);
      plan.received += entries;
      count(rejection.code, entries);
      deadLetter(message, route.deviceId, rejection);
      continue;
    }
    if (route.kind === "status") {
      const { status } = route;
      if (status.kind === "status")
        plan.statuses.push({ sensorId: sensor.id, online: status.online, at: message.receivedAt });
      else if (status.kind === "cleared") plan.statusCleared += 1;
      else {
        plan.received += 1;
        count(status.code, 1);
        deadLetter(message, route.deviceId, { index: null, code: status.code, reason: status.reason });
      }
      continue;
    }
    const { accepted, rejected } = route.parsed;
    plan.received += entries;
    for (const reading of accepted)
      plan.readingRows.push({ sensorId: sensor.id, receivedAt: message.receivedAt, ...reading });
    for (const rejection of rejected) count(rejection.code, 1);
    const [first] = rejected;
    if (first && rejected.length === 1) deadLetter(message, route.deviceId, first);
    else if (first) deadLetter(message, route.deviceId, summarize(rejected, entries), { rejected });
  }
  return plan;
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
