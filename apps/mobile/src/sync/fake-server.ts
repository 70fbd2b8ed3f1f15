import type {
  ClientSettlement,
  Clock,
  NumberedAction,
  PullClient,
  PulledLedgerEntry,
  PullPage,
  SyncAction,
  SyncActionResult,
  SyncClient,
  SyncTransport,
} from "./types";

/**
 * Test support only (no screen imports it): an in-memory server that keeps the promises of the
 * real `sync.push` / `sync.pull` the phone relies on (each key applied once, `duplicate` on a
 * replay, a rejection leaves nothing and the rest goes on, a passing failure defers the rest,
 * ledger ids as the change sequence; each client's actions settled by number: last + 1 applied,
 * numbers at or below last answered from what was stored, a gap deferred, a client bound to its
 * first user), so the engine is tested against behaviour, not mocks.
 */
/** The stored answer of an applied action, returned again on a replay. */
type JsonResult = Extract<SyncActionResult, { status: "applied" | "duplicate" }>["result"];

export interface FakeLot {
  batchId: number;
  itemId: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  quantity: number;
  dosesPerVial: number;
}

type Refusal = ClientSettlement["rejections"][number];

/** A client as the server keeps it: its user, its last settled number and its recorded refusals. */
interface FakeClient {
  userId: number;
  last: number;
  refusals: Map<number, Refusal>;
}

const movementTypes: Partial<Record<SyncAction["kind"], PulledLedgerEntry["movementType"]>> = {
  "stock.recordUsage": "usage",
  "stock.recordDiscard": "discard",
  "stock.recordAdjustment": "adjustment",
  "stock.recordStockCount": "count",
};

export class FakeServer {
  readonly lots = new Map<number, FakeLot>();
  readonly ledger: PulledLedgerEntry[] = [];
  private readonly applied = new Map<string, JsonResult>();
  /** Every push as received, for order and batch-size checks. */
  readonly pushes: NumberedAction[][] = [];
  /** The client id of every push received. */
  readonly pushClients: string[] = [];
  readonly clients = new Map<string, FakeClient>();
  /** No signal: every push and pull fails before reaching the server. */
  offline = false;
  /** Pushes that fail before anything is applied (network down, 5xx). */
  failNextPushes = 0;
  /** Every answer sent, in order. */
  readonly answers: SyncActionResult[][] = [];
  /** The cursor of every pull received. */
  readonly pullCursors: (string | undefined)[] = [];
  /** The next push is applied, then its answer is lost (the phone crashed or the link dropped). */
  loseNextAnswer = false;
  /** Keys answered `deferred` (stock busy) once each, with everything after them. */
  readonly deferOnce = new Set<string>();
  /** Pulls answered before the link drops (null: no drop). */
  pullsBeforeFailure: number | null = null;
  pullPageSize = 1000;
  inFlight = 0;
  maxInFlight = 0;
  /** When set, a push waits for it before answering (to hold a flush open). */
  gate: Promise<void> | null = null;
  /** When set, a pull reads its page at once but answers only after it (a slow link). */
  pullAnswerGate: Promise<void> | null = null;

  constructor(
    readonly orgUnitId: number,
    private readonly clock: Clock,
    lots: FakeLot[],
  ) {
    for (const lot of lots) this.lots.set(lot.batchId, { ...lot });
  }

  /** The transport one device uses to reach this server, signed in as `userId`. */
  transport(userId = 1): SyncTransport {
    return {
      push: (orgUnitId, actions, client) => this.push(orgUnitId, actions, client, userId),
      pull: (orgUnitId, cursor, client) => this.pull(orgUnitId, cursor, client, userId),
    };
  }

  /** The server's data went back to an older copy: the client's last settled number is `last` again. */
  restoreClient(clientId: string, last: number): void {
    const client = this.clients.get(clientId);
    if (client) client.last = last;
  }

  private clientOf(clientId: string, userId: number, create: boolean): FakeClient | null {
    const known = this.clients.get(clientId);
    if (known && known.userId !== userId) {
      throw Object.assign(new Error("another user's client"), { reason: "sync.client_other_user" });
    }
    if (known || !create) return known ?? null;
    const client = { userId, last: 0, refusals: new Map<number, Refusal>() };
    this.clients.set(clientId, client);
    return client;
  }

  timesApplied(idempotencyKey: string): number {
    return new Set(this.ledger.filter((entry) => entry.idempotencyKey === idempotencyKey).map((entry) => entry.batchId))
      .size;
  }

  async push(
    orgUnitId: number,
    actions: NumberedAction[],
    client: SyncClient,
    userId: number,
  ): Promise<{ lastMutationId: number; results: SyncActionResult[] }> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      this.pushes.push(actions.map((action) => structuredClone(action)));
      this.pushClients.push(client.clientId);
      if (this.gate) await this.gate;
      if (orgUnitId !== this.orgUnitId) throw Object.assign(new Error("forbidden"), { reason: "scope.forbidden" });
      if (this.offline) throw new Error("network request failed");
      if (this.failNextPushes > 0) {
        this.failNextPushes -= 1;
        throw new Error("fetch failed");
      }
      const known = this.clientOf(client.clientId, userId, true);
      if (!known) throw new Error("a push registers its client");
      const results = this.applyAll(actions, known);
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        throw new Error("connection reset");
      }
      this.answers.push(results);
      return { lastMutationId: known.last, results };
    } finally {
      this.inFlight -= 1;
    }
  }

  private applyAll(actions: NumberedAction[], client: FakeClient): SyncActionResult[] {
    const results: SyncActionResult[] = [];
    let stopped: Extract<SyncActionResult, { reason: unknown }> | null = null;
    for (const action of actions) {
      const { mutationId } = action;
      const idempotencyKey = action.input.idempotencyKey;
      if (!stopped && mutationId > client.last + 1) {
        const params = { expectedMutationId: client.last + 1, lastMutationId: client.last };
        stopped = {
          idempotencyKey,
          mutationId,
          status: "deferred",
          reason: "sync.mutation_gap",
          message: "gap",
          params,
        };
      }
      if (!stopped && mutationId > client.last && this.deferOnce.delete(idempotencyKey)) {
        stopped = { idempotencyKey, mutationId, status: "deferred", reason: "stock.busy", message: "busy", params: {} };
      }
      if (stopped) {
        results.push({ ...stopped, idempotencyKey, mutationId });
        continue;
      }
      const seen = this.applied.get(idempotencyKey);
      const refusal = client.refusals.get(mutationId);
      if (mutationId <= client.last) {
        if (refusal?.idempotencyKey === idempotencyKey) {
          results.push({ ...refusal, status: "rejected" });
        } else if (seen && !refusal) {
          results.push({ idempotencyKey, mutationId, status: "duplicate", result: seen });
        } else {
          const params = { mutationId };
          results.push({
            idempotencyKey,
            mutationId,
            status: "rejected",
            reason: "sync.mutation_id_reused",
            message: "reused",
            params,
          });
        }
        continue;
      }
      client.last = mutationId;
      if (seen) {
        results.push({ idempotencyKey, mutationId, status: "duplicate", result: seen });
        continue;
      }
      const result = this.apply(action);
      if (result.status === "applied") this.applied.set(idempotencyKey, result.result);
      if (result.status === "rejected") client.refusals.set(mutationId, { ...result });
      results.push(result);
    }
    return results;
  }

  /** The server's rule that matters here: no lot goes below zero; a refusal changes nothing. */
  private apply(action: NumberedAction): SyncActionResult {
    const { mutationId } = action;
    const idempotencyKey = action.input.idempotencyKey;
    const moves: { lot: FakeLot; doses: number }[] = [];
    const lot = (batchId: number) => {
      const found = this.lots.get(batchId);
      if (!found) throw new Error(`unknown lot ${batchId}`);
      return found;
    };
    switch (action.kind) {
      case "stock.recordUsage":
        for (const line of action.input.lines) {
          const held = lot(line.batchId);
          moves.push({ lot: held, doses: -line.vialsOpened * held.dosesPerVial });
        }
        break;
      case "stock.recordDiscard":
        for (const line of action.input.lines) {
          const held = lot(line.batchId);
          moves.push({ lot: held, doses: -line.vials * held.dosesPerVial });
        }
        break;
      case "stock.recordAdjustment":
        moves.push({ lot: lot(action.input.batchId), doses: action.input.doses });
        break;
      case "stock.recordStockCount":
        for (const line of action.input.lines) {
          const held = lot(line.batchId);
          moves.push({ lot: held, doses: line.countedDoses - held.quantity });
        }
        break;
      default:
        throw new Error(`the fake server does not apply ${action.kind}`);
    }
    for (const move of moves) {
      if (move.lot.quantity + move.doses < 0) {
        return {
          idempotencyKey,
          mutationId,
          status: "rejected",
          reason: "stock.insufficient",
          message: "not enough stock",
          params: { batchId: move.lot.batchId, availableDoses: move.lot.quantity, neededDoses: -move.doses },
        };
      }
    }
    for (const move of moves) {
      move.lot.quantity += move.doses;
      const at = new Date(this.clock.now());
      this.ledger.push({
        id: this.ledger.length + 1,
        itemId: move.lot.itemId,
        batchId: move.lot.batchId,
        movementType: movementTypes[action.kind] ?? "adjustment",
        quantity: move.doses,
        balanceAfter: move.lot.quantity,
        dosesAdministered: null,
        reason: null,
        shipmentId: null,
        reversesEntryId: null,
        note: null,
        idempotencyKey,
        occurredAt: at,
        recordedAt: at,
      });
    }
    return { idempotencyKey, mutationId, status: "applied", result: { entries: moves.length } };
  }

  async pull(orgUnitId: number, cursor: string | undefined, pullClient?: PullClient, userId = 1): Promise<PullPage> {
    if (orgUnitId !== this.orgUnitId) throw Object.assign(new Error("forbidden"), { reason: "scope.forbidden" });
    if (this.offline || this.pullsBeforeFailure === 0) throw new Error("network request failed");
    if (this.pullsBeforeFailure !== null) this.pullsBeforeFailure -= 1;
    this.pullCursors.push(cursor);
    let client: ClientSettlement | null = null;
    if (pullClient) {
      const known = this.clientOf(pullClient.clientId, userId, false);
      const last = known?.last ?? 0;
      const rejections = [...(known?.refusals.values() ?? [])]
        .filter((refusal) => refusal.mutationId > pullClient.answeredThrough && refusal.mutationId <= last)
        .sort((a, b) => a.mutationId - b.mutationId);
      client = { lastMutationId: last, settledThrough: last, rejections };
    }
    const after = cursor === undefined ? 0 : Number(cursor);
    const rest = this.ledger.filter((entry) => entry.id > after);
    const page = rest.slice(0, this.pullPageSize);
    const hasMore = rest.length > page.length;
    const moved = new Set(page.map((entry) => entry.batchId));
    const now = new Date(this.clock.now());
    const balances = [...this.lots.values()]
      .filter((lot) => cursor === undefined || moved.has(lot.batchId))
      .map((lot) => ({
        batchId: lot.batchId,
        itemId: lot.itemId,
        lotNumber: lot.lotNumber,
        expiryDate: lot.expiryDate,
        vvmStage: lot.vvmStage,
        quantity: lot.quantity,
        updatedAt: now,
      }));
    const items = [...new Map([...this.lots.values()].map((lot) => [lot.itemId, lot])).values()].map((lot) => ({
      id: lot.itemId,
      code: `ITEM${lot.itemId}`,
      name: `Vaccine ${lot.itemId}`,
      kind: "vaccine" as const,
      dosesPerVial: lot.dosesPerVial,
      freezeSensitive: false,
      vvmType: "VVM7" as const,
      openVialPolicy: "keep_28_days" as const,
      gtin: null,
    }));
    const answer: PullPage = {
      cursor: String(page.at(-1)?.id ?? after),
      hasMore,
      full: cursor === undefined,
      serverTime: now,
      client,
      ledger: page,
      balances,
      states: hasMore
        ? null
        : {
            incomingShipments: [],
            requests: [],
            alarms: [],
            fridges: [],
            consumption: [],
            reference: { items, levels: { orgUnitId: this.orgUnitId, levels: [] } },
            itemFigures: null,
          },
    };
    if (this.pullAnswerGate) await this.pullAnswerGate;
    return answer;
  }
}

/** A clock whose time moves only when the test says, running the timers that fall due. */
export class ManualClock implements Clock {
  private time: number;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;
  readonly delays: number[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.delays.push(ms);
    this.timers.push({ at: this.time + ms, run, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, running each timer that falls due in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.run();
    }
    this.time = until;
  }
}
