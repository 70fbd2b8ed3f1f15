import { type KeyValueStore, readJson, writeJson } from "./storage";
import type { RejectedAction, SyncAction, SyncActionResult } from "./types";

/** Queue and rejections share one stored value, so an action leaves the queue and enters the rejected list at once. */
const QUEUE_KEY = "rantai.sync.queue";
/** Rejections kept for the screens; the oldest go first beyond this. */
const MAX_REJECTED = 200;
/** Applied actions kept until a pull brings their entries; a phone that never pulls drops the oldest. */
const MAX_AWAITING_PULL = 2000;

/**
 * The dates of an action (`clientTime`, `occurredAt`) are Dates again once read back: the server's
 * schemas take Dates (superjson carries them), and a restarted queue must send what it stored.
 */
function reviveDates(key: string, value: unknown): unknown {
  return (key === "clientTime" || key === "occurredAt") && typeof value === "string" ? new Date(value) : value;
}

const emptyQueue = (): QueueState => ({ actions: [], rejected: [], applied: [] });

interface QueueState {
  actions: SyncAction[];
  rejected: RejectedAction[];
  /**
   * Applied by the server but not yet in the local store: the shown balances keep their effect
   * until a pull that began after they were applied has been stored, so the stock a screen shows
   * does not jump back between the answer and the next pull.
   */
  applied: SyncAction[];
}

/** What one push's results did to the queue. */
export interface SettleOutcome {
  removed: number;
  rejected: number;
  /** An action was deferred (or got no result): it and the ones after it stay, to be sent again. */
  deferred: boolean;
}

/**
 * The durable queue of actions done on the phone, oldest first. Every change is written before
 * it is reported, and an action leaves only once its result is written, so a crash between the
 * send and the answer leaves it queued: the resend carries the same idempotency key and the
 * server answers `duplicate`, applying nothing twice. Writes are serialised within the process.
 */
export class ActionQueue {
  private state: QueueState | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: KeyValueStore) {}

  /** The queued actions, oldest first. */
  async actions(): Promise<readonly SyncAction[]> {
    return (await this.load()).actions;
  }

  async rejected(): Promise<readonly RejectedAction[]> {
    return (await this.load()).rejected;
  }

  /** Applied actions whose entries the local store may not hold yet, oldest first. */
  async awaitingPull(): Promise<readonly SyncAction[]> {
    return (await this.load()).applied;
  }

  /** A pull that began after these were applied has been stored: their entries are in the local store. */
  async forgetApplied(idempotencyKeys: readonly string[]): Promise<void> {
    const pulled = new Set(idempotencyKeys);
    await this.change((state) => ({
      ...state,
      applied: state.applied.filter((action) => !pulled.has(action.input.idempotencyKey)),
    }));
  }

  /** Sign-out: nothing of this facility stays on the phone. */
  async clear(): Promise<void> {
    await this.change(() => emptyQueue());
  }

  async append(action: SyncAction): Promise<void> {
    await this.change((state) => {
      const key = action.input.idempotencyKey;
      if (state.actions.some((queued) => queued.input.idempotencyKey === key)) {
        throw new Error(`an action with idempotency key ${key} is already queued`);
      }
      return { ...state, actions: [...state.actions, action] };
    });
  }

  /**
   * Applies a push's answers: applied and duplicate actions leave, rejected ones move to the
   * rejected list with their reason, and from the first deferred action (or one the answer does
   * not mention) everything stays in order.
   */
  async settle(sent: readonly SyncAction[], results: readonly SyncActionResult[], at: number): Promise<SettleOutcome> {
    const byKey = new Map(results.map((result) => [result.idempotencyKey, result]));
    const done = new Set<string>();
    const newlyRejected: RejectedAction[] = [];
    const newlyApplied: SyncAction[] = [];
    let deferred = false;
    for (const action of sent) {
      const result = byKey.get(action.input.idempotencyKey);
      if (!result || result.status === "deferred") {
        deferred = true;
        break;
      }
      done.add(action.input.idempotencyKey);
      if (result.status === "rejected") {
        newlyRejected.push({ action, reason: result.reason, params: result.params, rejectedAt: at });
      } else {
        newlyApplied.push(action);
      }
    }
    await this.change((state) => ({
      actions: state.actions.filter((action) => !done.has(action.input.idempotencyKey)),
      rejected: [...state.rejected, ...newlyRejected].slice(-MAX_REJECTED),
      applied: [...state.applied, ...newlyApplied].slice(-MAX_AWAITING_PULL),
    }));
    return { removed: done.size - newlyRejected.length, rejected: newlyRejected.length, deferred };
  }

  /** The user has read a rejection (and perhaps recorded a corrected action, with a new key). */
  async dismissRejected(idempotencyKey: string): Promise<void> {
    await this.change((state) => ({
      ...state,
      rejected: state.rejected.filter((entry) => entry.action.input.idempotencyKey !== idempotencyKey),
    }));
  }

  private async load(): Promise<QueueState> {
    await this.tail;
    if (!this.state) this.state = await this.readStored();
    return this.state;
  }

  private async readStored(): Promise<QueueState> {
    return { ...emptyQueue(), ...(await readJson<Partial<QueueState>>(this.store, QUEUE_KEY, {}, reviveDates)) };
  }

  /** One change at a time, written before the in-memory copy moves on. */
  private change(apply: (state: QueueState) => QueueState): Promise<void> {
    const run = this.tail.then(async () => {
      const current = this.state ?? (await this.readStored());
      const next = apply(current);
      await writeJson(this.store, QUEUE_KEY, next);
      this.state = next;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
