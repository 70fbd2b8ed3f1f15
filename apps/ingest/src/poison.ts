import { createHash } from "node:crypto";
import { parseSensorTopic } from "@rantai/api/coldchain/sensor-protocol";
import { type Database, deadLetters, ingestMessageAttempts } from "@rantai/db";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { Counter, type Registry } from "prom-client";
import { errorFields, type LogFields, type Logger } from "./logger";
import type { IngestMessage } from "./message";

/*
 * Poison messages: a message whose processing crashes the process (a bug not yet known, an
 * out-of-memory) or fails every flush it is in would otherwise come back for ever — the broker
 * redelivers what was not acked — and take ingest down with it each time.
 *
 * - A first delivery (MQTT DUP off) costs nothing here: no hash, no write.
 * - A redelivery (DUP on) is recorded in `ingest_message_attempts` (key: SHA-256 of topic and
 *   payload; attempts 1), committed before it is processed, then processed as usual in a batch.
 *   Redeliveries arriving together are recorded by one statement pair, because Mosquitto 2.0
 *   sets DUP on every message that waited in a session's queue while ingest was away: after a
 *   restart, most messages are redeliveries.
 * - A redelivery already on record (it was being processed when a process died), and every
 *   message of a flush that failed for a reason other than a database outage, is a *suspect*.
 *   Suspects are processed one at a time in the process, each in a flush of its own, each
 *   attempt counted and committed first. When the process dies, only the suspect being
 *   processed is charged for it, never a message that merely shared a batch or a connection.
 * - A suspect whose recorded attempts would pass the limit is stored as a `poison` dead letter
 *   (raw payload kept) in the transaction that counts that attempt, and acknowledged without
 *   being parsed or flushed. Later redeliveries of it are acked too, without a second letter.
 *   The first delivery of a message is not recorded, so a message that crashes ingest from its
 *   first delivery on does so at most limit + 1 times.
 * - A message that commits has its row deleted; rows left over (quarantined, or interrupted)
 *   are pruned after a day.
 */

export const POISON_REASON_CODE = "poison";
const SOURCE = "mqtt";
/** Attempt rows and their quarantine marks are kept this long, then pruned. */
export const ATTEMPTS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** How often a replica prunes them. */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
const BACKOFF_INITIAL_MS = 100;
const BACKOFF_MAX_MS = 5000;
/** Exit code of the crash fault hook (EX_SOFTWARE), so a supervisor can tell it from a signal. */
export const FAULT_CRASH_EXIT_CODE = 70;

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
function failureFields(error: unknown): LogFields {
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
      await tx.insert(deadLetters).values({
        source: SOURCE,
        topic: message.topic.slice(0, 255),
        deviceId: parseSensorTopic(message.topic)?.deviceId ?? null,
        reasonCode: POISON_REASON_CODE,
        reason: describePoison(attempts),
        readingIndex: null,
        payload: message.payload,
        payloadBytes: message.payload.length,
        payloadSha256: createHash("sha256").update(message.payload).digest("hex"),
        details: { attempts, maxAttempts, messageKey: key },
        receivedAt: message.receivedAt,
      });
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

export function createPoisonMetrics(registry: Registry) {
  const registers = [registry];
  return {
    suspects: new Counter({
      name: "rantai_ingest_suspect_messages_total",
      help: "Messages processed alone with their attempts recorded: redeliveries, and messages of flushes that failed for a reason other than a database outage",
      labelNames: ["cause"] as const,
      registers,
    }),
    attempts: new Counter({
      name: "rantai_ingest_suspect_attempts_total",
      help: "Recorded attempts at suspect messages, by outcome (committed, failed, quarantined)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    poison: new Counter({
      name: "rantai_ingest_poison_messages_total",
      help: "Messages quarantined as poison dead letters (attempts over INGEST_POISON_MAX_ATTEMPTS)",
      registers,
    }),
  };
}
export type PoisonMetrics = ReturnType<typeof createPoisonMetrics>;

export interface PoisonGuardOptions {
  db: Database;
  /** INGEST_POISON_MAX_ATTEMPTS: attempts a message gets before it is quarantined. */
  maxAttempts: number;
  /** Writes one message in a flush of its own (the same flush the batcher uses). */
  flush(messages: readonly IngestMessage[]): Promise<void>;
  logger: Logger;
  metrics: PoisonMetrics;
  /** Called after an attempt is recorded, right before the message is processed (fault hook). */
  beforeProcessing?(message: SuspectMessage): void;
  /** A message was quarantined (counted once, by the attempt that wrote its dead letter). */
  onQuarantined?(message: SuspectMessage): void;
  clock?: () => Date;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export type SuspectCause = "redelivered" | "failed_flush";

/** A message in the batcher; `attemptKey` when it is a redelivery on record (deleted after commit). */
export interface TrackedMessage extends IngestMessage {
  attemptKey?: string;
}

/**
 * A suspect as received: it is parsed (`prepare`) only after its attempt is recorded, since
 * parsing may be what crashes.
 */
export interface SuspectMessage {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  prepare(): IngestMessage;
  /** Called (in the suspects' order) once it is committed or quarantined: sends the PUBACK. */
  settle?(): void;
}

export interface PoisonGuard {
  /**
   * Processes a suspect alone, after every suspect before it; resolves true once it is committed
   * or quarantined (ack it), false if the guard was stopped first (leave it unacked).
   */
  handleSuspect(message: SuspectMessage, cause: SuspectCause): Promise<boolean>;
  /**
   * A redelivery (DUP): recorded first; a first redelivery goes on with `process(key)` (the
   * normal path, its row deleted after its flush commits); one already on record is a suspect.
   */
  handleRedelivery(message: SuspectMessage, process: (attemptKey: string) => void): void;
  /**
   * Wraps the batch flush: database outages are thrown (the batcher retries the same batch);
   * any other failure turns each of the batch's messages into a suspect, so the one at fault is
   * found and quarantined and the others are committed.
   */
  guardFlush(
    flush: (messages: readonly IngestMessage[]) => Promise<void>,
  ): (messages: readonly TrackedMessage[]) => Promise<void>;
  /** Resolves when the redeliveries and suspects handed over so far are done. */
  drain(): Promise<void>;
  /** Stops at the next step: suspects not yet committed stay unacked (redelivered later). */
  abort(): void;
}

export function createPoisonGuard(options: PoisonGuardOptions): PoisonGuard {
  const { db, maxAttempts, logger, metrics } = options;
  const clock = options.clock ?? (() => new Date());
  const initial = options.backoffInitialMs ?? BACKOFF_INITIAL_MS;
  const max = options.backoffMaxMs ?? BACKOFF_MAX_MS;
  let aborted = false;
  /** Backoff waits in progress (the suspects' and the redeliveries' rounds), cut short by abort(). */
  const waits = new Set<() => void>();
  /** Suspects run one after another: a crash is charged to one message only. */
  let tail: Promise<unknown> = Promise.resolve();
  /** Messages of a failed batch already committed alone, not to be written again on its retry. */
  const committedAlone = new WeakSet<IngestMessage>();

  const pause = (failures: number) =>
    new Promise<void>((resolve) => {
      const delay = Math.round(Math.min(max, initial * 2 ** Math.max(0, failures - 1)) * (0.5 + Math.random() / 2));
      const timer = setTimeout(done, delay);
      function done() {
        clearTimeout(timer);
        waits.delete(done);
        resolve();
      }
      waits.add(done);
    });

  /** Runs `step` until it succeeds or the guard stops; every error is a reason to wait and retry. */
  async function persist<T>(what: string, step: () => Promise<T>): Promise<T | null> {
    for (let failures = 1; !aborted; failures += 1) {
      try {
        return await step();
      } catch (error) {
        logger.error("suspect_step_failed", { step: what, failures, ...failureFields(error) });
        await pause(failures);
      }
    }
    return null;
  }

  async function processAlone(message: SuspectMessage): Promise<boolean> {
    const key = messageKey(message.topic, message.payload);
    for (let attempt = 1; !aborted; attempt += 1) {
      const recorded = await persist("record_attempt", () =>
        recordAttempt(db, message, { key, maxAttempts, at: clock() }),
      );
      if (!recorded) return false;
      if (recorded.quarantined) {
        if (recorded.newlyQuarantined) {
          metrics.poison.inc();
          metrics.attempts.inc({ outcome: "quarantined" });
          options.onQuarantined?.(message);
          logger.error("message_quarantined", { topic: message.topic, attempts: recorded.attempts, messageKey: key });
        }
        message.settle?.();
        return true;
      }
      options.beforeProcessing?.(message);
      let prepared: IngestMessage | null = null;
      // Outages do not count against the message: the same recorded attempt is tried again.
      for (let outages = 1; !aborted; outages += 1) {
        try {
          prepared ??= message.prepare();
          await options.flush([prepared]);
          metrics.attempts.inc({ outcome: "committed" });
          await forget([key]);
          message.settle?.();
          return true;
        } catch (error) {
          if (!(await isOutage(error))) {
            metrics.attempts.inc({ outcome: "failed" });
            logger.error("suspect_flush_failed", {
              topic: message.topic,
              attempts: recorded.attempts,
              messageKey: key,
              ...failureFields(error),
            });
            await pause(attempt);
            break;
          }
          logger.warn("suspect_flush_outage", { topic: message.topic, outages, ...failureFields(error) });
          await pause(outages);
        }
      }
    }
    return false;
  }

  /** A transient error, or any error while the database does not answer: not the message's fault. */
  async function isOutage(error: unknown): Promise<boolean> {
    if (isTransientDatabaseError(error)) return true;
    try {
      await Promise.race([
        db.execute(sql`SELECT 1`),
        new Promise((_, reject) => setTimeout(() => reject(new Error("probe timed out")), 2000).unref()),
      ]);
      return false;
    } catch {
      return true;
    }
  }

  /** Failing to delete leaves a row the hourly prune removes: not worth holding a message for. */
  async function forget(keys: readonly string[]): Promise<void> {
    await forgetAttempts(db, keys, maxAttempts).catch((error: unknown) =>
      logger.warn("message_attempts_forget_failed", { keys: keys.length, ...failureFields(error) }),
    );
  }

  /** Redeliveries waiting to be recorded: all that arrive while one round runs go in the next. */
  const claims: { message: SuspectMessage; key: string; process: (attemptKey: string) => void }[] = [];
  let claiming = false;
  async function runClaims(): Promise<void> {
    try {
      while (claims.length > 0 && !aborted) {
        const round = claims.splice(0, 500);
        const entries = round.map((claim) => ({ key: claim.key, topic: claim.message.topic }));
        const seen = await persist("record_redeliveries", () => claimRedeliveries(db, entries, clock()));
        if (seen === null) return; // stopping: never acked, redelivered after the restart
        for (const claim of round) {
          if (seen.has(claim.key)) void handleSuspect(claim.message, "redelivered");
          else claim.process(claim.key);
        }
      }
    } finally {
      claiming = false;
    }
  }

  function handleRedelivery(message: SuspectMessage, process: (attemptKey: string) => void): void {
    claims.push({ message, key: messageKey(message.topic, message.payload), process });
    if (claiming) return;
    claiming = true;
    // After the rest of this turn's arrivals, so that they share one round.
    setImmediate(() => void runClaims());
  }

  function handleSuspect(message: SuspectMessage, cause: SuspectCause): Promise<boolean> {
    metrics.suspects.inc({ cause });
    const run = tail.then(() => (aborted ? false : processAlone(message)));
    tail = run.catch(() => undefined);
    return run;
  }

  return {
    handleSuspect,
    handleRedelivery,
    guardFlush(flush) {
      return async (messages) => {
        const pending = messages.filter((message) => !committedAlone.has(message));
        if (pending.length === 0) return;
        try {
          await flush(pending);
          await forget(pending.flatMap((message) => (message.attemptKey ? [message.attemptKey] : [])));
          return;
        } catch (error) {
          if (await isOutage(error)) throw error;
          logger.error("flush_failed_isolating", { messages: pending.length, ...failureFields(error) });
        }
        for (const message of pending) {
          const suspect = { topic: message.topic, payload: message.payload, receivedAt: message.receivedAt };
          if (!(await handleSuspect({ ...suspect, prepare: () => message }, "failed_flush")))
            throw new Error("ingest is stopping");
          committedAlone.add(message);
        }
      };
    },
    async drain() {
      // Recording a round of redeliveries may hand over more suspects: wait until all is quiet.
      for (;;) {
        const current = tail;
        await current;
        if (!claiming && current === tail) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    abort() {
      aborted = true;
      for (const done of [...waits]) done();
    },
  };
}

/** Prunes attempt rows older than a day, now and every hour, until stopped. */
export function startAttemptPruning(options: {
  db: Database;
  logger: Logger;
  intervalMs?: number;
  clock?: () => Date;
}): { stop(): Promise<void> } {
  const { db, logger } = options;
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const loop = () => {
    if (stopped) return;
    current = pruneAttempts(db, new Date(clock().getTime() - ATTEMPTS_MAX_AGE_MS))
      .then((pruned) => {
        if (pruned > 0) logger.info("message_attempts_pruned", { pruned });
      })
      .catch((error: unknown) => logger.error("message_attempts_prune_failed", failureFields(error)))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(loop, options.intervalMs ?? PRUNE_INTERVAL_MS);
        timer.unref();
      });
  };
  loop();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
