import { contextLogger, type Logger } from "@rantai/core/kernel/logger";
import type { Database } from "@rantai/db";
import { sql } from "drizzle-orm";
import { Counter, type Registry } from "prom-client";
import type { IngestMessage } from "./message";
import {
  claimRedeliveries,
  failureFields,
  forgetAttempts,
  isTransientDatabaseError,
  messageKey,
  recordAttempt,
} from "./message-attempts";

/*
 * Poison messages: a message whose processing crashes the process (a bug not yet known, an
 * out-of-memory) or fails every flush it is in would otherwise come back for ever — the broker
 * redelivers what was not acked — and take ingest down with it each time.
 *
 * - A first delivery (MQTT DUP off) costs nothing here: no hash, no write.
 * - A redelivery (DUP on) is recorded in `ingest_message_attempts` (key: SHA-256 of topic and
 *   payload; attempts 1), committed before it is processed, then processed as usual in a batch.
 *   Redeliveries arriving together are recorded by one statement pair: after ingest is killed,
 *   Mosquitto 2.0.11 marks DUP not only what was in flight (4 per connection) but also many
 *   messages queued while it was down (hundreds per restart in ingest-crash.integration-test),
 *   so processing every redelivery alone would stall the recovery.
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

const BACKOFF_INITIAL_MS = 100;
const BACKOFF_MAX_MS = 5000;
/** Exit code of the crash fault hook (EX_SOFTWARE), so a supervisor can tell it from a signal. */
export const FAULT_CRASH_EXIT_CODE = 70;

export function createPoisonMetrics(registry: Registry) {
  const registers = [registry];
  return {
    suspects: new Counter({
      name: "rantai_ingest_suspect_messages_total",
      help: "Messages processed alone, each attempt recorded first: redeliveries already on record, and messages of flushes that failed other than by a database outage",
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
        logger.error({ step: what, failures, ...failureFields(error) }, "suspect_step_failed");
        await pause(failures);
      }
    }
    return null;
  }

  /** Acks a committed message; a throw here must neither fail the message nor end the process. */
  function settleSafely(message: SuspectMessage): void {
    try {
      message.settle?.();
    } catch (error) {
      logger.error({ topic: message.topic, ...failureFields(error) }, "ack_failed");
    }
  }

  async function processAlone(message: SuspectMessage): Promise<boolean> {
    const key = messageKey(message.topic, message.payload);
    // The key is the message's identity across redeliveries: every line about it carries it.
    const messageLogger = contextLogger({ messageId: key }, logger);
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
          messageLogger.error({ topic: message.topic, attempts: recorded.attempts }, "message_quarantined");
        }
        settleSafely(message);
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
          settleSafely(message);
          return true;
        } catch (error) {
          if (!(await isOutage(error))) {
            metrics.attempts.inc({ outcome: "failed" });
            messageLogger.error(
              { topic: message.topic, attempts: recorded.attempts, ...failureFields(error) },
              "suspect_flush_failed",
            );
            await pause(attempt);
            break;
          }
          messageLogger.warn({ topic: message.topic, outages, ...failureFields(error) }, "suspect_flush_outage");
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
      logger.warn({ keys: keys.length, ...failureFields(error) }, "message_attempts_forget_failed"),
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
          if (seen.has(claim.key))
            handleSuspect(claim.message, "redelivered").catch((error: unknown) =>
              logger.error({ topic: claim.message.topic, ...failureFields(error) }, "suspect_failed"),
            );
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
          logger.error({ messages: pending.length, ...failureFields(error) }, "flush_failed_isolating");
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
