import { createHash } from "node:crypto";
import { type Clock, systemClock } from "@rantai/core/coldchain/alarms";
import { storeDeadLetters } from "@rantai/core/coldchain/readings-store";
import { parseSensorTopic } from "@rantai/core/coldchain/sensor-protocol";
import { errorFields, type LogFields, type Logger } from "@rantai/core/kernel/logger";
import { type Database, ingestMessageAttempts } from "@rantai/db";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { type PeriodicTask, startPeriodic } from "./maintenance/periodic";
import type { IngestMessage } from "./message";

/*
 * The record behind poison quarantine (poison.ts): `ingest_message_attempts` holds one row per
 * redelivered message being processed, keyed by a hash of its topic and bytes, and the attempt
 * that passes the limit writes the `poison` dead letter.
 */

export const POISON_REASON_CODE = "poison";
const SOURCE = "mqtt";
/** Attempt rows and their quarantine marks are kept this long, then pruned. */
export const ATTEMPTS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** How often a replica prunes them. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** A message's identity across redeliveries: the same topic and bytes give the same key. */
export function messageKey(topic: string, payload: Buffer): string {
  return createHash("sha256").update(topic).update("\0").update(payload).digest("hex");
}

/**
 * Error codes of mysql2 and Node's sockets that say the database is unreachable, restarting or
 * busy (lock conflicts): the same flush will succeed later, so it is retried and nobody is blamed.
 */
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_SERVER_SHUTDOWN",
  "ER_NORMAL_SHUTDOWN",
  "ER_QUERY_INTERRUPTED",
  "ER_CONNECTION_KILLED",
  "ER_NET_READ_ERROR",
  "ER_NET_READ_INTERRUPTED",
  "ER_NET_WRITE_INTERRUPTED",
  "ER_NET_ERROR_ON_WRITE",
  "ER_CLIENT_INTERACTION_TIMEOUT",
]);

/** True when the error, or one it wraps (Drizzle wraps the driver's), is a transient database error. */
export function isTransientDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    if ("fatal" in current && current.fatal === true) return true;
    if ("code" in current && typeof current.code === "string" && TRANSIENT_CODES.has(current.code)) return true;
    current = "cause" in current ? current.cause : undefined;
  }
  return false;
}

/** errorFields, plus the driver error Drizzle wraps (its code says what the database refused). */
export function failureFields(error: unknown): LogFields {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorFields(error) : { ...errorFields(error), cause: errorFields(cause) };
}

/** The "poison" dead letter, with the count in words. */
export function describePoison(attempts: number): string {
  return `processing this message failed or crashed ingest ${attempts - 1} times (attempt ${attempts} refused); it was quarantined without being parsed — inspect the payload, fix the cause, and send the readings again`;
}

export interface RecordedAttempt {
  /** Recorded attempts, this one included. */
  attempts: number;
  /** Over the limit: stored as poison (now or before); do not process it. */
  quarantined: boolean;
  /** The dead letter was written by this call. */
  newlyQuarantined: boolean;
}

/**
 * Counts one more attempt at a suspect and commits it before the message is processed. The
 * attempt that passes the limit writes the poison dead letter in the same transaction: if that
 * commit fails nothing is counted, and a redelivery after it only finds the count already over.
 */
export async function recordAttempt(
  db: Database,
  message: Pick<IngestMessage, "topic" | "payload" | "receivedAt">,
  options: { key: string; maxAttempts: number; at: Date },
): Promise<RecordedAttempt> {
  const { key, maxAttempts, at } = options;
  return db.transaction(async (tx) => {
    await tx
      .insert(ingestMessageAttempts)
      .values({
        messageKey: key,
        topic: message.topic.slice(0, 255),
        attempts: 1,
        firstAttemptAt: at,
        lastAttemptAt: at,
      })
      .onDuplicateKeyUpdate({
        set: { attempts: sql`${ingestMessageAttempts.attempts} + 1`, lastAttemptAt: at },
      });
    const [row] = await tx
      .select({ attempts: ingestMessageAttempts.attempts })
      .from(ingestMessageAttempts)
      .where(eq(ingestMessageAttempts.messageKey, key));
    const attempts = row?.attempts ?? 1;
    const newlyQuarantined = attempts === maxAttempts + 1;
    if (newlyQuarantined) {
      await storeDeadLetters(tx, [
        {
          source: SOURCE,
          topic: message.topic,
          deviceId: parseSensorTopic(message.topic)?.deviceId ?? null,
          reasonCode: POISON_REASON_CODE,
          reason: describePoison(attempts),
          readingIndex: null,
          payload: message.payload,
          details: { attempts, maxAttempts, messageKey: key },
          receivedAt: message.receivedAt,
        },
      ]);
    }
    return { attempts, quarantined: attempts > maxAttempts, newlyQuarantined };
  });
}

/**
 * Redeliveries about to be processed: records those not on record yet (attempts 1, committed)
 * and returns the keys that were already there — suspects.
 */
export async function claimRedeliveries(
  db: Database,
  entries: readonly { key: string; topic: string }[],
  at: Date,
): Promise<Set<string>> {
  const keys = [...new Set(entries.map((entry) => entry.key))];
  if (keys.length === 0) return new Set();
  const rows = await db
    .select({ key: ingestMessageAttempts.messageKey })
    .from(ingestMessageAttempts)
    .where(inArray(ingestMessageAttempts.messageKey, keys));
  const seen = new Set(rows.map((row) => row.key));
  const fresh = new Map<string, string>();
  for (const entry of entries) if (!seen.has(entry.key)) fresh.set(entry.key, entry.topic.slice(0, 255));
  if (fresh.size > 0) {
    await db
      .insert(ingestMessageAttempts)
      .values(
        [...fresh].map(([messageKey, topic]) => ({
          messageKey,
          topic,
          attempts: 1,
          firstAttemptAt: at,
          lastAttemptAt: at,
        })),
      )
      // Recorded in the meantime by the same bytes arriving twice: it stays a first attempt.
      .onDuplicateKeyUpdate({ set: { messageKey: sql`${ingestMessageAttempts.messageKey}` } });
  }
  return seen;
}

/** The messages committed: their counts start afresh should the same bytes ever come back. */
export async function forgetAttempts(db: Database, keys: readonly string[], maxAttempts: number): Promise<void> {
  if (keys.length === 0) return;
  // A quarantined row stays until pruned, so that a late redelivery is not processed again.
  await db
    .delete(ingestMessageAttempts)
    .where(
      and(inArray(ingestMessageAttempts.messageKey, [...keys]), lt(ingestMessageAttempts.attempts, maxAttempts + 1)),
    );
}

/** Deletes attempt rows not touched for `maxAgeMs`; returns how many. */
export async function pruneAttempts(db: Database, before: Date): Promise<number> {
  const result = await db.delete(ingestMessageAttempts).where(lt(ingestMessageAttempts.lastAttemptAt, before));
  const header = Array.isArray(result) ? result[0] : result;
  return typeof header === "object" && header !== null && "affectedRows" in header ? Number(header.affectedRows) : 0;
}

/** Prunes attempt rows older than a day, now and every hour, until stopped. */
export function startAttemptPruning(options: {
  db: Database;
  logger: Logger;
  intervalMs?: number;
  clock?: Clock;
}): PeriodicTask {
  const { db, logger } = options;
  const clock = options.clock ?? systemClock;
  const round = () =>
    pruneAttempts(db, new Date(clock.now().getTime() - ATTEMPTS_MAX_AGE_MS))
      .then((pruned) => {
        if (pruned > 0) logger.info({ pruned }, "message_attempts_pruned");
      })
      .catch((error: unknown) => logger.error(failureFields(error), "message_attempts_prune_failed"));
  return startPeriodic(round, { intervalMs: options.intervalMs ?? PRUNE_INTERVAL_MS, runAtStart: true });
}
