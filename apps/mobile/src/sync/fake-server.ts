import type { Clock, PulledLedgerEntry, PullPage, SyncAction, SyncActionResult, SyncTransport } from "./types";

/**
 * Test support only (no screen imports it): an in-memory server that keeps the promises of the
 * real `sync.push` / `sync.pull` the phone relies on (each key applied once, `duplicate` on a
 * replay, a rejection leaves nothing and the rest goes on, a passing failure defers the rest,
 * ledger ids as the change sequence), so the engine is tested against behaviour, not mocks.
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
  readonly pushes: SyncAction[][] = [];
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

  constructor(
    readonly orgUnitId: number,
    private readonly clock: Clock,
    lots: FakeLot[],
  ) {
    for (const lot of lots) this.lots.set(lot.batchId, { ...lot });
  }

  /** The transport one device uses to reach this server. */
  transport(): SyncTransport {
    return {
      push: (orgUnitId, actions) => this.push(orgUnitId, actions),
      pull: (orgUnitId, cursor) => this.pull(orgUnitId, cursor),
    };
  }

  timesApplied(idempotencyKey: string): number {
    return new Set(this.ledger.filter((entry) => entry.idempotencyKey === idempotencyKey).map((entry) => entry.batchId))
      .size;
  }

  async push(orgUnitId: number, actions: SyncAction[]): Promise<{ results: SyncActionResult[] }> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      this.pushes.push(actions.map((action) => structuredClone(action)));
      if (this.gate) await this.gate;
      if (orgUnitId !== this.orgUnitId) throw Object.assign(new Error("forbidden"), { reason: "scope.forbidden" });
      if (this.offline) throw new Error("network request failed");
      if (this.failNextPushes > 0) {
        this.failNextPushes -= 1;
        throw new Error("fetch failed");
      }
      const results = this.applyAll(actions);
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        throw new Error("connection reset");
      }
      this.answers.push(results);
      return { results };
    } finally {
      this.inFlight -= 1;
    }
  }

  private applyAll(actions: SyncAction[]): SyncActionResult[] {
    const results: SyncActionResult[] = [];
    let stopped = false;
    for (const action of actions) {
      const idempotencyKey = action.input.idempotencyKey;
      if (!stopped && this.deferOnce.delete(idempotencyKey)) stopped = true;
      if (stopped) {
        results.push({ idempotencyKey, status: "deferred", reason: "stock.busy", message: "busy", params: {} });
        continue;
      }
      const seen = this.applied.get(idempotencyKey);
      if (seen) {
        results.push({ idempotencyKey, status: "duplicate", result: seen });
        continue;
      }
      const result = this.apply(action);
      if (result.status === "applied") this.applied.set(idempotencyKey, result.result);
      results.push(result);
    }
    return results;
  }

  /** The server's rule that matters here: no lot goes below zero; a refusal changes nothing. */
  private apply(action: SyncAction): SyncActionResult {
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
    return { idempotencyKey, status: "applied", result: { entries: moves.length } };
  }

  async pull(orgUnitId: number, cursor: string | undefined): Promise<PullPage> {
    if (orgUnitId !== this.orgUnitId) throw Object.assign(new Error("forbidden"), { reason: "scope.forbidden" });
    if (this.offline || this.pullsBeforeFailure === 0) throw new Error("network request failed");
    if (this.pullsBeforeFailure !== null) this.pullsBeforeFailure -= 1;
    this.pullCursors.push(cursor);
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
    return {
      cursor: String(page.at(-1)?.id ?? after),
      hasMore,
      full: cursor === undefined,
      serverTime: now,
      ledger: page,
      balances,
      states: hasMore
        ? null
        : {
            incomingShipments: [],
            requests: [],
            alarms: [],
            fridges: [],
            reference: { items, levels: { orgUnitId: this.orgUnitId, levels: [] } },
            itemFigures: null,
          },
    };
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
