import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { clientMutations, type Database, type Executor, type Transaction } from "@rantai/db";
import { eq } from "drizzle-orm";
import { ER_DUP_ENTRY, ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT, mysqlErrno } from "./db-errors";
import { AppError } from "./errors";
import { hashPayload, type JsonValue } from "./json";
import { contextLogger } from "./logger";

export interface IdempotentCall {
  /** The client-made UUID sent with the mutation. */
  key: string;
  /** The procedure's name (`stock.recordUsage`): a key is bound to one procedure. */
  procedure: string;
  /** A key is bound to the user who first sent it; another user's replay is refused, never answered. */
  userId: number;
  /** The validated input without its idempotency key; its canonical JSON is hashed. */
  payload: unknown;
}

export const keyReusedMessage =
  "This idempotency key was already used for a different request. Send a new key for a new change.";
const stillRunningMessage =
  "The same change is still being saved from another request. Wait a moment and send it again with the same key.";

/**
 * What the idempotent calls made inside `observeIdempotency` did: whether one of them answered
 * from a stored result instead of applying. Sync reports an action as a duplicate from this, so it
 * needs no second lookup that could race the key's owner.
 */
interface IdempotencyObservation {
  replayed: boolean;
  options: ObserveOptions;
}
const observation = new AsyncLocalStorage<IdempotencyObservation>();

export interface ObserveOptions {
  /**
   * Runs inside the transaction of each effect applied within the observed work, after the
   * effect: what must commit or roll back with it (sync moves its client's last mutation id
   * here). Not run for a replay, which applies nothing. Throwing rolls the effect back.
   */
  afterEffects?: (tx: Transaction) => Promise<void>;
  /** Answer only from stored results: a key not stored yet is refused instead of applied. */
  replayOnly?: boolean;
}

/** Runs `work` and says whether an idempotent call within it returned a stored result. */
export async function observeIdempotency<T>(
  work: () => Promise<T>,
  options: ObserveOptions = {},
): Promise<{ result: T; replayed: boolean }> {
  const seen: IdempotencyObservation = { replayed: false, options };
  const result = await observation.run(seen, work);
  return { result, replayed: seen.replayed };
}

/** Raised under `replayOnly` when a key has no stored result: nothing was applied. */
export class KeyNotStored extends Error {}

/** Retries of a transaction the database chose as a deadlock victim (it rolled back completely). */
const DEADLOCK_ATTEMPTS = 4;

class KeyAlreadyClaimed extends Error {}

/**
 * Applies a mutation at most once per idempotency key. The key, the payload's hash and the
 * effect's result are stored in `client_mutations` in the effect's own transaction:
 * - a replay with the same payload returns the stored result and changes nothing;
 * - the same key with another payload is UNPROCESSABLE (`idempotency.payload_mismatch`), and so is
 *   the same key from another procedure or user (`idempotency.key_reused`);
 * - concurrent duplicates: the key row is inserted FIRST, so a duplicate blocks on its primary
 *   key until the first commits (then fails with ER_DUP_ENTRY and returns the stored result) or
 *   rolls back (then it applies itself). Exactly one applies.
 * The result goes through JSON both times, so the first answer and a replay are identical.
 */
export async function runIdempotent<T extends JsonValue>(
  db: Database,
  call: IdempotentCall,
  effect: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const payloadHash = hashPayload(call.payload);
  const stored = await findStoredMutation(db, call.key);
  if (stored) return replayStored<T>(stored, call, payloadHash);
  const observed = observation.getStore()?.options;
  if (observed?.replayOnly) throw new KeyNotStored(`no stored result for key ${call.key}`);

  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await claimKey(tx, call, payloadHash);
        const result = JSON.parse(JSON.stringify(await effect(tx))) as T;
        await tx.update(clientMutations).set({ result }).where(eq(clientMutations.idempotencyKey, call.key));
        await observed?.afterEffects?.(tx);
        return result;
      });
    } catch (error) {
      if (error instanceof KeyAlreadyClaimed) {
        const winner = await findStoredMutation(db, call.key);
        if (winner) return replayStored<T>(winner, call, payloadHash);
        throw new AppError("idempotency.in_progress", stillRunningMessage);
      }
      const errno = mysqlErrno(error);
      if (errno === ER_LOCK_DEADLOCK && attempt < DEADLOCK_ATTEMPTS) {
        contextLogger({ actorId: call.userId }).warn({ procedure: call.procedure, attempt }, "stock_deadlock_retry");
        await sleep(10 * attempt + Math.floor(Math.random() * 20));
        continue;
      }
      if (errno === ER_LOCK_WAIT_TIMEOUT || errno === ER_LOCK_DEADLOCK) {
        throw new AppError(
          "stock.busy",
          "The stock is busy with other changes right now. Send the same request again.",
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

type StoredMutation = typeof clientMutations.$inferSelect;

async function findStoredMutation(db: Executor, key: string): Promise<StoredMutation | undefined> {
  const [row] = await db.select().from(clientMutations).where(eq(clientMutations.idempotencyKey, key)).limit(1);
  return row;
}

function replayStored<T>(stored: StoredMutation, call: IdempotentCall, payloadHash: string): T {
  // One message for both refusals; the reason tells a client whether its own earlier attempt with
  // this key was saved with other content (it may then have saved the change already).
  if (stored.procedure !== call.procedure || stored.userId !== call.userId) {
    throw new AppError("idempotency.key_reused", keyReusedMessage);
  }
  if (stored.payloadHash !== payloadHash) throw new AppError("idempotency.payload_mismatch", keyReusedMessage);
  // MariaDB stores JSON as LONGTEXT, so the driver hands back the text.
  const result: unknown = typeof stored.result === "string" ? JSON.parse(stored.result) : stored.result;
  if (result === null) throw new AppError("idempotency.in_progress", stillRunningMessage);
  const seen = observation.getStore();
  if (seen) seen.replayed = true;
  return result as T;
}

/** Inserts the key row (result filled in at the end). Blocks while another transaction holds the same key. */
async function claimKey(tx: Transaction, call: IdempotentCall, payloadHash: string): Promise<void> {
  try {
    await tx.insert(clientMutations).values({
      idempotencyKey: call.key,
      userId: call.userId,
      procedure: call.procedure,
      payloadHash,
      result: null,
    });
  } catch (error) {
    if (mysqlErrno(error) === ER_DUP_ENTRY) throw new KeyAlreadyClaimed();
    throw error;
  }
}
