import { type KeyValueStore, readJson, writeJson } from "./storage";
import type {
  ClientSettlement,
  NumberedAction,
  PullClient,
  RejectedAction,
  SyncAction,
  SyncActionResult,
} from "./types";

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

const emptyQueue = (): QueueState => ({ actions: [], rejected: [], applied: [], clientId: null, lastNumbered: 0 });

interface QueueState {
  actions: NumberedAction[];
  rejected: RejectedAction[];
  /**
   * Applied by the server but not yet in the local store: the shown balances keep their effect
   * until a pull that began after they were applied has been stored, so the stock a screen shows
   * does not jump back between the answer and the next pull.
   */
  applied: SyncAction[];
  /** The phone's sync client, made with the first action after sign-in (null before). */
  clientId: string | null;
  /** The number given to the last action queued under that client (0: none yet). */
  lastNumbered: number;
}

/** What one push's results did to the queue. */
export interface SettleOutcome {
  removed: number;
  rejected: number;
  /** An action was deferred (or got no result): it and the ones after it stay, to be sent again. */
  deferred: boolean;
}

const keyOf = (action: SyncAction) => action.input.idempotencyKey;

/** The actions renumbered from 1 under a new client, in their order. */
function renumbered(state: QueueState, clientId: string): QueueState {
  const actions = state.actions.map((action, index) => ({ ...action, mutationId: index + 1 }));
  return { ...state, actions, clientId, lastNumbered: actions.length };
}

/**
 * The durable queue of actions done on the phone, oldest first, each numbered 1, 2, 3… under the
 * phone's sync client as it is queued (number and action are written together). Every change is
 * written before it is reported, and an action leaves only once its result is written, so a crash
 * between the send and the answer leaves it queued: the resend carries the same number and key,
 * and the server answers from what it stored, applying nothing twice. Writes are serialised
 * within the process.
 */
export class ActionQueue {
  private state: QueueState | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly newClientId: () => string,
  ) {}

  /** The queued actions, oldest first. */
  async actions(): Promise<readonly NumberedAction[]> {
    return (await this.load()).actions;
  }

  async rejected(): Promise<readonly RejectedAction[]> {
    return (await this.load()).rejected;
  }

  /** Applied actions whose entries the local store may not hold yet, oldest first. */
  async awaitingPull(): Promise<readonly SyncAction[]> {
    return (await this.load()).applied;
  }

  /** The phone's sync client id (null before the first action since sign-in). */
  async clientId(): Promise<string | null> {
    return (await this.load()).clientId;
  }

  /** What a pull tells the server of the client: every number below the first queued one has its answer here. */
  async pullClient(): Promise<PullClient | undefined> {
    const state = await this.load();
    if (state.clientId === null) return undefined;
    const head = state.actions[0]?.mutationId;
    return { clientId: state.clientId, answeredThrough: head === undefined ? state.lastNumbered : head - 1 };
  }

  /** A pull that began after these were applied has been stored: their entries are in the local store. */
  async forgetApplied(idempotencyKeys: readonly string[]): Promise<void> {
    const pulled = new Set(idempotencyKeys);
    await this.change((state) => ({ ...state, applied: state.applied.filter((action) => !pulled.has(keyOf(action))) }));
  }

  /** Sign-out: nothing of this facility stays on the phone, and the next user's actions go under a new client. */
  async clear(): Promise<void> {
    await this.change(() => emptyQueue());
  }

  /** Queues an action with the next number of the phone's client (made now if there is none). */
  async append(action: SyncAction): Promise<void> {
    await this.change((state) => {
      const key = keyOf(action);
      if (state.actions.some((queued) => keyOf(queued) === key)) {
        throw new Error(`an action with idempotency key ${key} is already queued`);
      }
      const clientId = state.clientId ?? this.newClientId();
      const lastNumbered = state.clientId === null ? 0 : state.lastNumbered;
      const numbered: NumberedAction = { ...action, mutationId: lastNumbered + 1 };
      return { ...state, clientId, lastNumbered: lastNumbered + 1, actions: [...state.actions, numbered] };
    });
  }

  /**
   * Starts a new client with the queue renumbered from 1: the server no longer knows the numbers
   * before the first queued action (its data was restored from an older copy), or the client
   * belongs to another user. The keys stay, so nothing already applied is applied again.
   */
  async startNewClient(): Promise<void> {
    await this.change((state) => renumbered(state, this.newClientId()));
  }

  /**
   * Applies a push's answers: applied and duplicate actions leave, rejected ones move to the
   * rejected list with their reason, and from the first deferred action (or one the answer does
   * not mention) everything stays in order. An action no longer queued (a pull settled it
   * meanwhile) is left as it is.
   */
  async settle(sent: readonly SyncAction[], results: readonly SyncActionResult[], at: number): Promise<SettleOutcome> {
    const byKey = new Map(results.map((result) => [result.idempotencyKey, result]));
    const answered = new Map<string, SyncActionResult>();
    let deferred = false;
    for (const action of sent) {
      const result = byKey.get(keyOf(action));
      if (!result || result.status === "deferred") {
        deferred = true;
        break;
      }
      answered.set(keyOf(action), result);
    }
    let outcome: SettleOutcome = { removed: 0, rejected: 0, deferred };
    await this.change((state) => {
      const leaving = state.actions.filter((action) => answered.has(keyOf(action)));
      const newlyRejected: RejectedAction[] = [];
      const newlyApplied: SyncAction[] = [];
      for (const action of leaving) {
        const result = answered.get(keyOf(action));
        if (result?.status === "rejected") {
          newlyRejected.push({ action, reason: result.reason, params: result.params, rejectedAt: at });
        } else {
          newlyApplied.push(action);
        }
      }
      outcome = { removed: newlyApplied.length, rejected: newlyRejected.length, deferred };
      return this.withSettled(state, newlyApplied, newlyRejected);
    });
    return outcome;
  }

  /**
   * Applies what a pull says of the client: its queued actions up to `settledThrough` were
   * settled by the server (the answer was lost): the refused ones move to the rejected list,
   * the others count as applied. Returns the keys of those applied, which that pull brings.
   */
  async settleFromPull(settlement: ClientSettlement, clientId: string, at: number): Promise<string[]> {
    let applied: string[] = [];
    await this.change((state) => {
      if (state.clientId !== clientId) return state;
      const refusals = new Map(settlement.rejections.map((refusal) => [refusal.mutationId, refusal]));
      const leaving = state.actions.filter((action) => action.mutationId <= settlement.settledThrough);
      const newlyRejected: RejectedAction[] = [];
      const newlyApplied: SyncAction[] = [];
      for (const action of leaving) {
        const refusal = refusals.get(action.mutationId);
        if (refusal && refusal.idempotencyKey === keyOf(action)) {
          newlyRejected.push({ action, reason: refusal.reason, params: refusal.params, rejectedAt: at });
        } else {
          newlyApplied.push(action);
        }
      }
      applied = newlyApplied.map(keyOf);
      return this.withSettled(state, newlyApplied, newlyRejected);
    });
    return applied;
  }

  /** The user has read a rejection (and perhaps recorded a corrected action, with a new key). */
  async dismissRejected(idempotencyKey: string): Promise<void> {
    await this.change((state) => ({
      ...state,
      rejected: state.rejected.filter((entry) => keyOf(entry.action) !== idempotencyKey),
    }));
  }

  private withSettled(state: QueueState, applied: SyncAction[], rejected: RejectedAction[]): QueueState {
    const done = new Set([...applied.map(keyOf), ...rejected.map((entry) => keyOf(entry.action))]);
    return {
      ...state,
      actions: state.actions.filter((action) => !done.has(keyOf(action))),
      rejected: [...state.rejected, ...rejected].slice(-MAX_REJECTED),
      applied: [...state.applied, ...applied].slice(-MAX_AWAITING_PULL),
    };
  }

  private async load(): Promise<QueueState> {
    await this.tail;
    if (!this.state) this.state = await this.readStored();
    return this.state;
  }

  private async readStored(): Promise<QueueState> {
    const stored = {
      ...emptyQueue(),
      ...(await readJson<Partial<QueueState>>(this.store, QUEUE_KEY, {}, reviveDates)),
    };
    // A queue written before actions were numbered: its actions go under a new client, in order.
    const unnumbered = stored.actions.some((action) => typeof action.mutationId !== "number");
    return unnumbered ? renumbered(stored, this.newClientId()) : stored;
  }

  /** One change at a time, written before the in-memory copy moves on. */
  private change(apply: (state: QueueState) => QueueState): Promise<void> {
    const run = this.tail.then(async () => {
      this.state ??= await this.readStored();
      const current = this.state;
      const next = apply(current);
      await writeJson(this.store, QUEUE_KEY, next);
      this.state = next;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
