import type { SensorRef } from "@rantai/core/coldchain/readings-store";
import { parseSensorTopic, TOPIC_PREFIX } from "@rantai/core/coldchain/sensor-protocol";
import type { Database } from "@rantai/db";
import { readings } from "@rantai/db";
import { and, inArray } from "drizzle-orm";
import { Counter, type Registry } from "prom-client";
import { z } from "zod";
import type { IngestMessage } from "./message";

/*
 * Storage confirmation (docs/sensor-protocol.md, "Storage confirmation"): MQTT 5 request/response.
 * A PUBACK only says the broker has a message, and Mosquitto 2.0 loses what it PUBACKed after
 * its last snapshot when it is killed. A device that publishes with the response topic
 * `coldchain/v1/sensors/{its deviceId}/stored` gets, after the flush holding the message
 * commits and before the message is acked, `{"stored","duplicate","rejected"}` there with its
 * correlation data: "Rantai has stored it". It keeps each reading until then.
 */

/** Correlation data is echoed back as it came; more than this is refused (a batch id fits easily). */
export const MAX_CORRELATION_DATA_BYTES = 64;

/** The last topic level of a device's confirmations: `coldchain/v1/sensors/{deviceId}/stored`. */
export const CONFIRMATION_CHANNEL = "stored";

export function confirmationTopic(deviceId: string): string {
  return `${TOPIC_PREFIX}/${deviceId}/${CONFIRMATION_CHANNEL}`;
}

/** What a message asks for: where to confirm, and what to echo. */
export interface ConfirmationRequest {
  topic: string;
  correlationData: Buffer | undefined;
}

export type ConfirmationRefusal = "foreign_topic" | "correlation_too_long";

/**
 * Checks a message's MQTT 5 response properties. Only the sender's own confirmation topic is
 * honoured: ingest may publish to every device's topic, so a response topic naming anything else
 * (another device, a wildcard, a deeper level) would let a device make ingest write where it
 * cannot. A refused request is counted and the message is processed as if it had none.
 */
export function checkConfirmationRequest(
  topic: string,
  responseTopic: string | undefined,
  correlationData: Buffer | undefined,
): ConfirmationRequest | ConfirmationRefusal | null {
  if (responseTopic === undefined) return null;
  const sender = parseSensorTopic(topic);
  if (sender === null || responseTopic !== confirmationTopic(sender.deviceId)) return "foreign_topic";
  if (correlationData !== undefined && correlationData.length > MAX_CORRELATION_DATA_BYTES)
    return "correlation_too_long";
  return { topic: responseTopic, correlationData };
}

const count = z.number().int().nonnegative();
/**
 * The confirmation's payload, as a device reads it; stored + duplicate + rejected = the
 * message's entries. `stored`: readings this delivery stored; `duplicate`: already stored (a
 * resend or a redelivery), safe all the same; `rejected`: refused and kept as dead letters,
 * resending will not help.
 */
export const ZConfirmationSchema = z.strictObject({ stored: count, duplicate: count, rejected: count });
export type TConfirmation = z.infer<typeof ZConfirmationSchema>;

export function renderConfirmation(confirmation: TConfirmation): Buffer {
  return Buffer.from(
    JSON.stringify({
      stored: confirmation.stored,
      duplicate: confirmation.duplicate,
      rejected: confirmation.rejected,
    }),
  );
}

/** A message quarantined as poison is one rejection: it was never parsed. */
export const POISON_CONFIRMATION: TConfirmation = { stored: 0, duplicate: 0, rejected: 1 };

/**
 * A request travelling with its message. One object per received message, shared by every
 * IngestMessage prepared from it (a poison suspect is prepared again), so whichever flush
 * commits it leaves the tally where the settle step finds it.
 */
export interface PendingConfirmation {
  request: ConfirmationRequest;
  /** Set after the flush holding the message committed; null until then (or if quarantined). */
  tally: TConfirmation | null;
}

/** A message in a flush that may ask for a confirmation. */
export type ConfirmableMessage = IngestMessage & { confirmation?: PendingConfirmation | undefined };

/** `sensorId:ts` — a reading's primary key as a string. */
const keyOf = (sensorId: number, ts: Date) => `${sensorId}:${ts.getTime()}`;

/** The active sensor's readings of a message, or null when the message stores nothing. */
function sensorReadings(message: IngestMessage, sensors: ReadonlyMap<string, SensorRef>) {
  if (message.route.kind !== "readings") return null;
  const sensor = sensors.get(message.route.deviceId);
  return sensor?.active ? { sensorId: sensor.id, readings: message.route.parsed.accepted } : null;
}

/**
 * Primary keys already stored among the readings of the messages asking for a confirmation.
 * Run inside the flush's transaction after its sensor locks and before its inserts, and only
 * when some message asks: devices without a response topic cost nothing.
 */
export async function findStoredKeys(
  tx: Pick<Database, "select">,
  messages: readonly ConfirmableMessage[],
  sensors: ReadonlyMap<string, SensorRef>,
): Promise<Set<string>> {
  const sensorIds = new Set<number>();
  const times = new Map<number, Date>();
  for (const message of messages) {
    if (!message.confirmation) continue;
    const found = sensorReadings(message, sensors);
    if (!found) continue;
    sensorIds.add(found.sensorId);
    for (const reading of found.readings) times.set(reading.ts.getTime(), reading.ts);
  }
  if (sensorIds.size === 0 || times.size === 0) return new Set();
  // Both lists are bounded by one flush's rows; the cross product is filtered by the primary key.
  const rows = await tx
    .select({ sensorId: readings.sensorId, ts: readings.ts })
    .from(readings)
    .where(and(inArray(readings.sensorId, [...sensorIds]), inArray(readings.ts, [...times.values()])));
  return new Set(rows.map((row) => keyOf(row.sensorId, row.ts)));
}

/**
 * Each confirmed message's tally, given the keys stored before the flush. A reading repeated
 * within the flush counts as stored for the first message holding it and duplicate after, as
 * the single INSERT stores it once. Pure; counts rejections as the flush plan does.
 */
export function tallyConfirmations(
  messages: readonly ConfirmableMessage[],
  sensors: ReadonlyMap<string, SensorRef>,
  storedBefore: ReadonlySet<string>,
  /** Messages whose planning failed: nothing of them was stored, whatever they parsed to. */
  failed: ReadonlySet<IngestMessage> = new Set(),
): Map<PendingConfirmation, TConfirmation> {
  const tallies = new Map<PendingConfirmation, TConfirmation>();
  const seen = new Set<string>();
  for (const message of messages) {
    if (failed.has(message)) {
      if (message.confirmation) tallies.set(message.confirmation, { stored: 0, duplicate: 0, rejected: 1 });
      continue;
    }
    const found = sensorReadings(message, sensors);
    const tally: TConfirmation = { stored: 0, duplicate: 0, rejected: 0 };
    for (const reading of found?.readings ?? []) {
      const key = keyOf(found?.sensorId ?? 0, reading.ts);
      if (storedBefore.has(key) || seen.has(key)) tally.duplicate += 1;
      else tally.stored += 1;
      seen.add(key);
    }
    if (!message.confirmation) continue;
    tally.rejected = rejectedEntries(message, sensors);
    tallies.set(message.confirmation, tally);
  }
  return tallies;
}

function rejectedEntries(message: IngestMessage, sensors: ReadonlyMap<string, SensorRef>): number {
  const { route } = message;
  // A message ingest could not handle at all is one internal_error dead letter.
  if (route.kind === "bad_topic" || route.kind === "failed") return 1;
  const entries = route.kind === "readings" ? route.parsed.accepted.length + route.parsed.rejected.length : 1;
  // Everything from an unknown or deactivated sensor is dead-lettered.
  if (!sensors.get(route.deviceId)?.active) return entries;
  if (route.kind === "status") return route.status.kind === "status" || route.status.kind === "cleared" ? 0 : 1;
  return route.parsed.rejected.length;
}

export function createConfirmationMetrics(registry: Registry) {
  return {
    confirmations: new Counter({
      name: "rantai_ingest_confirmations_total",
      help: "Storage confirmations published to devices (sent), and response requests ignored (foreign_topic, correlation_too_long)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
  };
}
export type ConfirmationMetrics = ReturnType<typeof createConfirmationMetrics>;
