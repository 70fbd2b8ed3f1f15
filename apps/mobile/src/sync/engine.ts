import { randomUuid } from "@rantai/ui/uuid";
import { type BackoffPolicy, backoffDelay, defaultBackoff } from "./backoff";
import { applyPullPage, type Dataset, type LocalData, LocalStore } from "./local-store";
import { checkAction, type ShownAlarm, type ShownBalance, shownAlarms, shownBalances } from "./optimistic";
import { ActionQueue } from "./queue";
import type { KeyValueStore } from "./storage";
import {
  type Clock,
  type NumberedAction,
  type RejectedAction,
  type SyncAction,
  type SyncActionResult,
  type SyncPlatform,
  type SyncTransport,
  systemClock,
} from "./types";

/** The most actions one push carries (the server's bound); a longer queue goes in several pushes, in order. */
export const MAX_PUSH_ACTIONS = 500;
/** Pages one pull asks for before it stops; far above a week offline, it bounds a misbehaving server. */
const MAX_PULL_PAGES = 1000;

export interface SyncError {
  /** The server's reason code when it gave one, `network` when it could not be reached. */
  reason: string;
  at: number;
}

export interface SyncState {
  waiting: number;
  rejected: number;
  syncing: boolean;
  pulling: boolean;
  lastError: SyncError | null;
  lastSyncedAt: number | null;
  /** When the next automatic try is due after a failure or a deferral; null when none is planned. */
  retryAt: number | null;
}

export interface LocalState {
  balances: ShownBalance[];
  /** The facility's alarms, newest first, with the acknowledgements still on their way. */
  alarms: ShownAlarm[];
  data: LocalData;
  queued: readonly SyncAction[];
  rejected: readonly RejectedAction[];
  /** Device time each dataset was last brought up to date, for "data from … ago". */
  fetchedAt: Partial<Record<Dataset, number>>;
}

export interface SyncEngineOptions {
  storage: KeyValueStore;
  transport: SyncTransport;
  orgUnitId: number;
  clock?: Clock;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** What the phone is, recorded with its sync client (default `android`, the app's target). */
  platform?: SyncPlatform;
  /** A name for the device (its model), shown to support beside the client; none by default. */
  deviceLabel?: string;
  /** Makes the random id of a new sync client (a UUID); tests inject their own. */
  newClientId?: () => string;
}

function reasonOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "reason" in error && typeof error.reason === "string") {
    return error.reason;
  }
  return "network";
}

/**
 * The phone's sync: actions go into the durable queue at once (the screens never wait for the
 * network), `flush` sends them in order, one push at a time, and `pull` brings the facility's
 * changes into the local store. A failed push is retried with backoff on the injected clock.
 */
export class SyncEngine {
  private readonly queue: ActionQueue;
  private readonly local: LocalStore;
  private readonly transport: SyncTransport;
  private readonly orgUnitId: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly platform: SyncPlatform;
  private readonly deviceLabel: string | undefined;
  private readonly listeners = new Set<(state: SyncState) => void>();
  private state: SyncState = {
    waiting: 0,
    rejected: 0,
    syncing: false,
    pulling: false,
    lastError: null,
    lastSyncedAt: null,
    retryAt: null,
  };
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private enqueueing: Promise<unknown> = Promise.resolve();
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private stopped = false;

  constructor(options: SyncEngineOptions) {
    this.queue = new ActionQueue(options.storage, options.newClientId ?? randomUuid);
    this.local = new LocalStore(options.storage);
    this.transport = options.transport;
    this.orgUnitId = options.orgUnitId;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? defaultBackoff;
    this.platform = options.platform ?? "android";
    this.deviceLabel = options.deviceLabel;
  }

  /**
   * Reads what a previous run left (queue, rejections) so the first state emitted is true, and
   * resumes sending what is still queued (the app was closed or the phone restarted meanwhile).
   */
  async start(): Promise<void> {
    // Started again after a stop (a remount of the provider): it runs as before.
    this.stopped = false;
    await this.refreshCounts();
    if (this.state.waiting > 0) void this.flush();
  }

  /** Sign-out: stops, and wipes the queue, the rejections and the local store (the screen warns first while actions wait). */
  async wipe(): Promise<void> {
    this.stop();
    await Promise.allSettled([this.flushing, this.pulling]);
    await Promise.all([this.queue.clear(), this.local.clear()]);
    await this.refreshCounts();
  }

  /** Stops planned retries (sign-out, tests); nothing in flight is cut. */
  stop(): void {
    this.stopped = true;
    this.cancelRetry();
  }

  subscribe(listener: (state: SyncState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  getState(): SyncState {
    return this.state;
  }

  /**
   * Checks an action with the rules against the shown state, stores it, and starts a flush in the
   * background. Resolves once the action is durable; throws `LocalRejection` when the rules refuse it.
   */
  enqueue(action: SyncAction): Promise<void> {
    // One at a time: two quick taps are each checked against the stock the other left.
    const run = this.enqueueing.then(async () => {
      const [data, pending] = await Promise.all([this.local.read(), this.pendingActions()]);
      checkAction(data, pending, action, new Date(this.clock.now()));
      await this.queue.append(action);
    });
    this.enqueueing = run.catch(() => undefined);
    return run.then(async () => {
      await this.refreshCounts();
      void this.flush();
    });
  }

  async localState(): Promise<LocalState> {
    const [data, queued, rejected, pending] = await Promise.all([
      this.local.read(),
      this.queue.actions(),
      this.queue.rejected(),
      this.pendingActions(),
    ]);
    return {
      balances: shownBalances(data, pending),
      alarms: shownAlarms(data, pending),
      data,
      queued,
      rejected,
      fetchedAt: data.fetchedAt,
    };
  }

  /** What the local store does not show yet: applied actions awaiting a pull, then the queue. */
  private async pendingActions(): Promise<SyncAction[]> {
    const [applied, queued] = await Promise.all([this.queue.awaitingPull(), this.queue.actions()]);
    return [...applied, ...queued];
  }

  async dismissRejected(idempotencyKey: string): Promise<void> {
    await this.queue.dismissRejected(idempotencyKey);
    await this.refreshCounts();
  }

  /**
   * Sends the queue in order. Single flight: a call while a flush runs joins it (and makes it go
   * round once more for what was queued meanwhile). Resolves when this round ends; a failure is
   * reported in the state and retried later, never thrown at the caller.
   */
  flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.cancelRetry();
    this.flushing = this.runFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /**
   * The connection came back: send now, and should this first try still fail (the network
   * settling), retry within seconds rather than after the backoff the offline hours built up.
   */
  reconnected(): Promise<void> {
    this.attempt = 0;
    return this.flush();
  }

  private async runFlush(): Promise<void> {
    this.emit({ syncing: true });
    try {
      do {
        this.flushAgain = false;
        const settled = await this.sendAll().catch((error: unknown) => {
          // The device storage failed: nothing was lost (an action leaves only after a write), so try later.
          this.emit({
            lastError: { reason: reasonOf(error) === "network" ? "storage" : reasonOf(error), at: this.clock.now() },
          });
          return "retry" as const;
        });
        if (settled === "retry") {
          this.scheduleRetry();
          return;
        }
      } while (this.flushAgain);
      this.attempt = 0;
      this.emit({ lastError: null, lastSyncedAt: this.clock.now(), retryAt: null });
    } finally {
      this.emit({ syncing: false });
    }
  }

  /**
   * Pushes batch after batch until the queue is empty, or says to retry later. Each push carries
   * the phone's client and the actions' numbers. Twice per flush at most, the queue moves to a new
   * client at once instead of waiting: when the server refuses the client as another user's, or
   * reports a gap before the first queued number (it lost what the phone had settled).
   */
  private async sendAll(): Promise<"done" | "retry"> {
    let newClients = 0;
    for (;;) {
      const batch = (await this.queue.actions()).slice(0, MAX_PUSH_ACTIONS);
      const clientId = await this.queue.clientId();
      if (batch.length === 0 || clientId === null) return "done";
      let results: SyncActionResult[];
      try {
        const client = { clientId, platform: this.platform, deviceLabel: this.deviceLabel };
        ({ results } = await this.transport.push(this.orgUnitId, batch, client));
      } catch (error) {
        if (reasonOf(error) === "sync.client_other_user" && newClients++ < 2) {
          await this.queue.startNewClient();
          continue;
        }
        this.emit({ lastError: { reason: reasonOf(error), at: this.clock.now() } });
        return "retry";
      }
      const outcome = await this.queue.settle(batch, results, this.clock.now());
      await this.refreshCounts();
      if (outcome.deferred) {
        const deferred = results.find((result) => result.status === "deferred");
        if (deferred && lostBefore(deferred, batch) && newClients++ < 2) {
          await this.queue.startNewClient();
          continue;
        }
        const reason = deferred && "reason" in deferred ? deferred.reason : "sync.deferred";
        this.emit({ lastError: { reason, at: this.clock.now() } });
        return "retry";
      }
      this.attempt = 0;
    }
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    const retryAt = this.clock.now() + delay;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
    this.emit({ retryAt });
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * Brings the facility's changes since the stored cursor, page by page. Each page is stored
   * together with its cursor before the next is asked for, so an interrupted pull resumes from
   * the last stored page and applies no entry twice. Single flight like `flush`; a failure is
   * reported in the state (the screens keep showing what is stored, with its age).
   */
  pull(): Promise<void> {
    // Stopped for sign-out: a pull finishing after the wipe would write the facility's data back.
    if (this.stopped) return Promise.resolve();
    if (this.pulling) {
      // A pull asked for while one runs (e.g. right after a push was applied) may need what the
      // running one began too early to see: it goes round once more rather than waiting a minute.
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      do {
        this.pullAgain = false;
        await this.runPull();
      } while (this.pullAgain && !this.stopped);
    })().finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  private async runPull(): Promise<void> {
    this.emit({ pulling: true });
    try {
      // Applied before this pull began, so the pull brings their entries.
      const applied = (await this.queue.awaitingPull()).map((action) => action.input.idempotencyKey);
      for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
        const data = await this.local.read();
        const cursor = data.cursor ?? undefined;
        let client = await this.queue.pullClient();
        const answer = await this.transport.pull(this.orgUnitId, cursor, client).catch(async (error: unknown) => {
          // Another user signed in on this phone and its client is still the previous user's.
          if (reasonOf(error) !== "sync.client_other_user") throw error;
          await this.queue.startNewClient();
          client = await this.queue.pullClient();
          return this.transport.pull(this.orgUnitId, cursor, client);
        });
        // Signed out meanwhile: the answer must not bring the facility's data back onto the phone.
        if (this.stopped) return;
        // Actions the server settled whose answer never came back (a crash between send and
        // answer): they leave the queue now, and this pull brings their entries.
        if (answer.client && client) {
          const settled = await this.queue.settleFromPull(answer.client, client.clientId, this.clock.now());
          applied.push(...settled);
          if (answer.client.rejections.length > 0 || settled.length > 0) await this.refreshCounts();
        }
        await this.local.write(applyPullPage(data, answer, cursor === undefined, this.clock.now()));
        if (!answer.hasMore) {
          await this.queue.forgetApplied(applied);
          break;
        }
      }
    } catch (error) {
      this.emit({ lastError: { reason: reasonOf(error), at: this.clock.now() } });
    } finally {
      this.emit({ pulling: false });
    }
  }

  private async refreshCounts(): Promise<void> {
    const [queued, rejected] = await Promise.all([this.queue.actions(), this.queue.rejected()]);
    this.emit({ waiting: queued.length, rejected: rejected.length });
  }

  private emit(change: Partial<SyncState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }
}

/**
 * A gap the phone cannot fill: the server expects a number below the first one still queued, so
 * the actions it is missing were settled here and are gone (the server's data went back to an
 * older copy). The queue then goes on under a new client.
 */
function lostBefore(result: SyncActionResult, batch: readonly NumberedAction[]): boolean {
  if (result.status !== "deferred" || result.reason !== "sync.mutation_gap") return false;
  const expected = result.params.expectedMutationId;
  const head = batch[0]?.mutationId;
  return typeof expected === "number" && head !== undefined && head > expected;
}
