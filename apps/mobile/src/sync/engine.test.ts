import { beforeEach, describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";
import { SyncEngine, type SyncState } from "./engine";
import { type FakeLot, FakeServer, ManualClock } from "./fake-server";
import { LocalRejection } from "./optimistic";
import { MemoryStore } from "./storage";
import type { SyncAction } from "./types";

const FACILITY = 7;
const START = Date.parse("2026-12-01T02:00:00Z");
/** Lot 1: 10 vials of 10 doses; lot 2: 5 vials. */
const LOTS: FakeLot[] = [
  { batchId: 1, itemId: 10, lotNumber: "A1", expiryDate: "2027-06-30", vvmStage: 1, quantity: 100, dosesPerVial: 10 },
  { batchId: 2, itemId: 10, lotNumber: "B2", expiryDate: "2027-03-31", vvmStage: 1, quantity: 50, dosesPerVial: 10 },
];

let clock: ManualClock;
let server: FakeServer;
let storage: MemoryStore;

beforeEach(() => {
  clock = new ManualClock(START);
  server = new FakeServer(FACILITY, clock, LOTS);
  storage = new MemoryStore();
});

function device(store = storage, random = () => 0.5) {
  return new SyncEngine({
    storage: store,
    transport: server.transport(),
    orgUnitId: FACILITY,
    clock,
    random,
    backoff: { baseMs: 1_000, maxMs: 8_000 },
  });
}

function usage(batchId: number, vialsOpened: number): SyncAction {
  return {
    kind: "stock.recordUsage",
    clientTime: new Date(clock.now()),
    input: {
      idempotencyKey: crypto.randomUUID(),
      orgUnitId: FACILITY,
      lines: [{ batchId, vialsOpened, dosesAdministered: vialsOpened * 10 - 1 }],
    },
  };
}

function adjustment(batchId: number, doses: number): SyncAction {
  return {
    kind: "stock.recordAdjustment",
    clientTime: new Date(clock.now()),
    input: {
      idempotencyKey: crypto.randomUUID(),
      orgUnitId: FACILITY,
      batchId,
      doses,
      // `found` only adds: a removal needs a reason that may remove.
      reason: doses > 0 ? "found" : "data_correction",
      note: "shelf",
    },
  };
}

const keyOf = (action: SyncAction) => action.input.idempotencyKey;
const appliedKeys = () => [...new Set(server.ledger.map((entry) => entry.idempotencyKey))];

/** Lets the retry timer that the clock just fired finish its push. */
async function advance(engine: SyncEngine, ms: number): Promise<void> {
  clock.advance(ms);
  await engine.flush();
}

describe("the durable queue", () => {
  it("keeps its actions, in order and with their dates, across a restart", async () => {
    server.offline = true;
    const first = device();
    const actions = [adjustment(1, 10), adjustment(2, 20), adjustment(1, 30)];
    for (const action of actions) await first.enqueue(action);
    first.stop();

    const restarted = device();
    const { queued } = await restarted.localState();
    expect(queued.map(keyOf)).toEqual(actions.map(keyOf));
    expect(queued[0]?.clientTime).toBeInstanceOf(Date);

    // Back online: starting sends what the previous run left, in order.
    server.offline = false;
    const states: SyncState[] = [];
    restarted.subscribe((state) => states.push(state));
    await restarted.start();
    expect(states).toContainEqual(expect.objectContaining({ waiting: 3, syncing: true }));
    await restarted.flush();
    expect(server.pushes.at(-1)?.map(keyOf)).toEqual(actions.map(keyOf));
    expect(appliedKeys()).toEqual(actions.map(keyOf));
    expect(restarted.getState()).toMatchObject({ waiting: 0, syncing: false, lastError: null, lastSyncedAt: START });
  });

  it("sends a long queue in order, in pushes of at most 500", async () => {
    server.offline = true;
    const engine = device();
    const actions = Array.from({ length: 501 }, () => adjustment(1, 10));
    for (const action of actions) await engine.enqueue(action);
    server.offline = false;
    await engine.flush();
    expect(server.pushes.slice(-2).map((push) => push.length)).toEqual([500, 1]);
    expect(appliedKeys()).toEqual(actions.map(keyOf));
    expect(engine.getState().waiting).toBe(0);
  });
});

describe("sending", () => {
  it("retries a failing server with exponential backoff and jitter, without blocking the user", async () => {
    server.failNextPushes = 4;
    const engine = device(storage, () => 1);
    const action = adjustment(1, 10);
    await engine.enqueue(action);
    await engine.flush();
    expect(engine.getState()).toMatchObject({ waiting: 1, lastError: { reason: "network" }, retryAt: START + 1_000 });
    for (const wait of [1_000, 2_000, 4_000, 8_000]) await advance(engine, wait);
    expect(clock.delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(appliedKeys()).toEqual([keyOf(action)]);
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null, retryAt: null });
    expect(clock.pending()).toBe(0);
  });

  it("tries again within seconds after the connection returns, whatever backoff the offline hours built", async () => {
    server.failNextPushes = 5;
    const engine = device(storage, () => 1);
    await engine.enqueue(adjustment(1, 10));
    await engine.flush();
    for (const wait of [1_000, 2_000, 4_000]) await advance(engine, wait);
    expect(clock.delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    // The first try on reconnection fails too (the network settling): the next is a base wait away, not 8 s.
    await engine.reconnected();
    expect(clock.delays.at(-1)).toBe(1_000);
    await advance(engine, 1_000);
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null, retryAt: null });
  });

  it("stops pulling once stopped for sign-out, and pulls again when started", async () => {
    const engine = device();
    engine.stop();
    await engine.pull();
    expect((await engine.localState()).fetchedAt).toEqual({});
    await engine.start();
    await engine.pull();
    expect((await engine.localState()).fetchedAt.stock).toBe(START);
  });

  it("draws each wait at random below a doubling ceiling, capped", () => {
    const policy = { baseMs: 1_000, maxMs: 8_000 };
    expect(backoffDelay(0, policy, () => 0.5)).toBe(500);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelay(20, policy, () => 0.99)).toBe(7_920);
    expect(backoffDelay(3, policy, () => 0)).toBe(500);
  });

  it("removes an action the server reports as a duplicate, applied once", async () => {
    const engine = device();
    const action = adjustment(1, 10);
    server.loseNextAnswer = true;
    await engine.enqueue(action);
    await engine.flush();
    expect(engine.getState().waiting).toBe(1);
    await advance(engine, 1_000);
    expect(server.answers.at(-1)).toEqual([
      expect.objectContaining({ idempotencyKey: keyOf(action), status: "duplicate" }),
    ]);
    expect(server.timesApplied(keyOf(action))).toBe(1);
    expect(server.lots.get(1)?.quantity).toBe(110);
    expect(engine.getState().waiting).toBe(0);
  });

  it("resends after a crash between send and acknowledgement, and the server applies it once", async () => {
    const crashed = device();
    const action = usage(1, 2);
    server.loseNextAnswer = true;
    await crashed.enqueue(action);
    await crashed.flush();
    crashed.stop();
    expect(server.timesApplied(keyOf(action))).toBe(1);

    const restarted = device();
    await restarted.start();
    expect(restarted.getState().waiting).toBe(1);
    await restarted.flush();
    expect(server.answers.at(-1)?.map((result) => result.status)).toEqual(["duplicate"]);
    expect(server.timesApplied(keyOf(action))).toBe(1);
    expect(server.lots.get(1)?.quantity).toBe(80);
    expect((await restarted.localState()).queued).toEqual([]);
  });

  it("keeps a rejected action with its reason for the user, and sends the rest", async () => {
    const engine = device();
    await engine.pull();
    // The lot was discarded on the console meanwhile: the phone still believes it holds 50 doses.
    const lot2 = server.lots.get(2);
    if (lot2) lot2.quantity = 0;
    server.offline = true;
    const actions = [usage(1, 2), usage(2, 3), adjustment(1, 10)];
    for (const action of actions) await engine.enqueue(action);
    server.offline = false;
    await engine.flush();

    expect(appliedKeys()).toEqual([keyOf(actions[0] as SyncAction), keyOf(actions[2] as SyncAction)]);
    const { queued, rejected } = await engine.localState();
    expect(queued).toEqual([]);
    expect(rejected).toEqual([
      expect.objectContaining({
        reason: "stock.insufficient",
        params: { batchId: 2, availableDoses: 0, neededDoses: 30 },
        action: expect.objectContaining({
          input: expect.objectContaining({ idempotencyKey: keyOf(actions[1] as SyncAction) }),
        }),
      }),
    ]);
    expect(engine.getState()).toMatchObject({ waiting: 0, rejected: 1 });
    await engine.dismissRejected(keyOf(actions[1] as SyncAction));
    expect(engine.getState().rejected).toBe(0);
  });

  it("keeps a deferred action and all after it in order, and sends them again later", async () => {
    const engine = device();
    server.offline = true;
    const actions = [adjustment(1, 10), adjustment(1, 20), adjustment(2, 30)];
    for (const action of actions) await engine.enqueue(action);
    server.offline = false;
    server.deferOnce.add(keyOf(actions[1] as SyncAction));
    await engine.flush();
    expect(appliedKeys()).toEqual([keyOf(actions[0] as SyncAction)]);
    expect((await engine.localState()).queued.map(keyOf)).toEqual(actions.slice(1).map(keyOf));
    expect(engine.getState().lastError?.reason).toBe("stock.busy");

    await advance(engine, 1_000);
    expect(appliedKeys()).toEqual(actions.map(keyOf));
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null });
  });

  it("never sends two pushes at once; what is queued meanwhile follows in the same flush", async () => {
    const engine = device();
    let open = () => {};
    server.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const first = adjustment(1, 10);
    const second = adjustment(1, 20);
    await engine.enqueue(first);
    // The user is not held up while the first push waits on the network.
    await engine.enqueue(second);
    const flushes = [engine.flush(), engine.flush()];
    expect(engine.getState()).toMatchObject({ syncing: true, waiting: 2 });
    server.gate = null;
    open();
    await Promise.all(flushes);
    expect(server.maxInFlight).toBe(1);
    expect(server.pushes.map((push) => push.map(keyOf))).toEqual([[keyOf(first)], [keyOf(second)]]);
    expect(engine.getState()).toMatchObject({ syncing: false, waiting: 0 });
  });
});

describe("pulling and the local state", () => {
  it("resumes an interrupted pull from the last stored page, holding each entry once", async () => {
    const other = new SyncEngine({
      storage: new MemoryStore(),
      transport: server.transport(),
      orgUnitId: FACILITY,
      clock,
    });
    server.offline = true;
    for (let index = 0; index < 25; index += 1) await other.enqueue(adjustment(1 + (index % 2), 10));
    server.offline = false;
    await other.flush();
    other.stop();
    expect(server.ledger).toHaveLength(25);

    server.pullPageSize = 10;
    server.pullsBeforeFailure = 2;
    const interrupted = device();
    await interrupted.pull();
    expect(interrupted.getState().lastError?.reason).toBe("network");
    expect((await interrupted.localState()).data.ledger).toHaveLength(20);
    expect((await interrupted.localState()).fetchedAt.stock).toBeUndefined();

    server.pullsBeforeFailure = null;
    clock.advance(60_000);
    const restarted = device();
    await restarted.pull();
    expect(server.pullCursors).toEqual([undefined, "10", "20"]);
    const { data, balances, fetchedAt } = await restarted.localState();
    expect(data.ledger.map((entry) => entry.id)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(balances.map((lot) => [lot.batchId, lot.quantity])).toEqual([
      [1, 230],
      [2, 170],
    ]);
    expect(fetchedAt).toMatchObject({ stock: START + 60_000, fridges: START + 60_000, reference: START + 60_000 });
  });

  it("shows pulled balances less the queued actions, and refuses locally what would go below zero", async () => {
    const engine = device();
    await engine.pull();
    server.offline = true;
    await engine.enqueue(usage(1, 2));
    await engine.enqueue(adjustment(2, -10));
    const { balances } = await engine.localState();
    expect(balances.map((lot) => [lot.batchId, lot.quantity, lot.pendingDoses])).toEqual([
      [1, 80, -20],
      [2, 40, -10],
    ]);

    const tooMuch = usage(1, 9);
    await expect(engine.enqueue(tooMuch)).rejects.toEqual(
      expect.objectContaining({
        reason: "stock.insufficient",
        params: expect.objectContaining({ availableDoses: 80, neededDoses: 90 }),
      }),
    );
    await expect(engine.enqueue(adjustment(1, 15))).rejects.toBeInstanceOf(LocalRejection);
    expect((await engine.localState()).queued).toHaveLength(2);
  });

  it("keeps an applied action's effect until the pull brings its entry, then counts it once", async () => {
    const engine = device();
    await engine.pull();
    await engine.enqueue(usage(1, 2));
    await engine.flush();
    expect(engine.getState().waiting).toBe(0);
    const lotOne = async () => (await engine.localState()).balances.find((balance) => balance.batchId === 1);
    expect(await lotOne()).toMatchObject({ quantity: 80, pendingDoses: -20 });
    await engine.pull();
    expect(await lotOne()).toMatchObject({ quantity: 80, pendingDoses: 0 });
  });

  it("goes round once more when a pull is asked for while one that began before a push is still answering", async () => {
    const engine = device();
    await engine.pull();
    let answer = () => {};
    server.pullAnswerGate = new Promise((resolve) => {
      answer = resolve;
    });
    // This pull reads the server before the usage below is applied, and answers late.
    const early = engine.pull();
    await engine.enqueue(usage(1, 2));
    await engine.flush();
    const afterPush = engine.pull();
    server.pullAnswerGate = null;
    answer();
    await Promise.all([early, afterPush]);
    const lotOne = (await engine.localState()).balances.find((balance) => balance.batchId === 1);
    expect(lotOne).toMatchObject({ quantity: 80, pendingDoses: 0 });
  });

  it("checks two quick entries against each other: the second cannot take the stock the first took", async () => {
    const engine = device();
    await engine.pull();
    server.offline = true;
    const outcomes = await Promise.allSettled([engine.enqueue(usage(2, 4)), engine.enqueue(usage(2, 4))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected"]);
    expect((await engine.localState()).queued).toHaveLength(1);
  });

  it("wipes the queue, the rejections and the local store at sign-out", async () => {
    const engine = device();
    await engine.pull();
    server.offline = true;
    await engine.enqueue(usage(1, 1));
    await engine.wipe();
    expect(engine.getState()).toMatchObject({ waiting: 0, rejected: 0 });
    const next = await device().localState();
    expect(next).toMatchObject({ queued: [], rejected: [], balances: [], fetchedAt: {} });
    // Nothing of the facility stays in the device storage: the lots and the queued action are gone.
    expect(await storage.getItem("rantai.sync.local")).toBeNull();
    expect(await storage.getItem("rantai.sync.queue")).not.toMatch(/idempotencyKey|batchId/);
    expect(next.data.cursor).toBeNull();
    expect(clock.pending()).toBe(0);
  });

  it("lets two phones of one facility use the same lot offline; the server refuses the one that comes second", async () => {
    const phoneA = device(new MemoryStore());
    const phoneB = device(new MemoryStore());
    await Promise.all([phoneA.pull(), phoneB.pull()]);
    server.offline = true;
    // Each phone sees 5 vials of lot B2 and uses 4: both are valid on the phone that records them.
    await phoneA.enqueue(usage(2, 4));
    await phoneB.enqueue(usage(2, 4));
    server.offline = false;
    await Promise.all([phoneA.flush(), phoneB.flush()]);

    const rejected = [...(await phoneA.localState()).rejected, ...(await phoneB.localState()).rejected];
    expect(rejected.map((entry) => [entry.reason, entry.params.availableDoses])).toEqual([["stock.insufficient", 10]]);
    expect(appliedKeys()).toHaveLength(1);
    expect(server.lots.get(2)?.quantity).toBe(10);
    expect(phoneA.getState().waiting + phoneB.getState().waiting).toBe(0);

    await phoneB.pull();
    const lot = (await phoneB.localState()).balances.find((balance) => balance.batchId === 2);
    expect(lot).toMatchObject({ quantity: 10, pendingDoses: 0 });
  });
});

describe("numbered actions (the phone's sync client)", () => {
  const numbers = (push: readonly { mutationId: number }[] | undefined) => push?.map((action) => action.mutationId);

  it("numbers each action as it is queued, durably, and sends the numbers with the phone's client", async () => {
    server.offline = true;
    const first = device();
    const actions = [adjustment(1, 10), adjustment(2, 20), adjustment(1, 30)];
    for (const action of actions) await first.enqueue(action);
    first.stop();

    server.offline = false;
    const restarted = device();
    await restarted.flush();
    expect(numbers(server.pushes.at(-1))).toEqual([1, 2, 3]);
    await restarted.enqueue(adjustment(2, 10));
    await restarted.flush();
    expect(numbers(server.pushes.at(-1))).toEqual([4]);
    expect(new Set(server.pushClients).size).toBe(1);
    expect(server.clients.get(server.pushClients[0] ?? "")?.last).toBe(4);
  });

  it("numbers a queue stored before actions were numbered under a new client, in its order", async () => {
    const stored = [adjustment(1, 10), adjustment(2, 10)];
    await storage.setItem("rantai.sync.queue", JSON.stringify({ actions: stored, rejected: [], applied: [] }));
    const engine = device();
    await engine.flush();
    expect(server.pushes.at(-1)?.map((action) => [keyOf(action), action.mutationId])).toEqual([
      [keyOf(stored[0] as SyncAction), 1],
      [keyOf(stored[1] as SyncAction), 2],
    ]);
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null });
  });

  it("after a crash between send and answer, a pull settles what the server applied and refused, without a resend", async () => {
    const crashed = device();
    await crashed.pull();
    const lot2 = server.lots.get(2);
    if (lot2) lot2.quantity = 0;
    server.offline = true;
    const actions = [usage(1, 2), usage(2, 3), adjustment(1, 10)];
    for (const action of actions) await crashed.enqueue(action);
    await crashed.flush();
    server.offline = false;
    server.loseNextAnswer = true;
    await crashed.flush();
    crashed.stop();
    const sent = server.pushes.length;
    expect(server.answers).toHaveLength(0);

    const restarted = device();
    await restarted.pull();
    const { queued, rejected, balances } = await restarted.localState();
    expect(queued).toEqual([]);
    expect(rejected.map((entry) => [keyOf(entry.action), entry.reason])).toEqual([
      [keyOf(actions[1] as SyncAction), "stock.insufficient"],
    ]);
    expect(server.pushes).toHaveLength(sent);
    expect(balances.find((lot) => lot.batchId === 1)).toMatchObject({ quantity: 90, pendingDoses: 0 });
    expect(actions.map((action) => server.timesApplied(keyOf(action)))).toEqual([1, 0, 1]);
    expect(restarted.getState()).toMatchObject({ waiting: 0, rejected: 1 });
  });

  it("a resend of numbers the server settled is answered from what it stored: applied once, refused once", async () => {
    const engine = device();
    await engine.pull();
    const lot2 = server.lots.get(2);
    if (lot2) lot2.quantity = 0;
    const actions = [usage(1, 1), usage(2, 1)];
    server.offline = true;
    for (const action of actions) await engine.enqueue(action);
    server.offline = false;
    server.loseNextAnswer = true;
    await engine.flush();
    // Stock arrives meanwhile: the refused action would pass now, but its number was settled as refused.
    if (lot2) lot2.quantity = 50;
    await advance(engine, 1_000);
    expect(server.answers.at(-1)?.map((result) => result.status)).toEqual(["duplicate", "rejected"]);
    expect(actions.map((action) => server.timesApplied(keyOf(action)))).toEqual([1, 0]);
    expect((await engine.localState()).rejected).toHaveLength(1);
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null });
  });

  it("goes on under a new client when the server reports a gap before its first queued action", async () => {
    const engine = device();
    for (const action of [adjustment(1, 10), adjustment(1, 10), adjustment(1, 10)]) await engine.enqueue(action);
    await engine.flush();
    const firstClient = server.pushClients[0] ?? "";
    // The server's data went back to a copy that knows only the first of them.
    server.restoreClient(firstClient, 1);
    const next = adjustment(2, 10);
    await engine.enqueue(next);
    await engine.flush();
    expect(server.answers.some((answer) => answer[0]?.status === "deferred")).toBe(true);
    expect(server.answers.flat()).toContainEqual(
      expect.objectContaining({ reason: "sync.mutation_gap", params: { expectedMutationId: 2, lastMutationId: 1 } }),
    );
    expect(server.pushClients.at(-1)).not.toBe(firstClient);
    expect(numbers(server.pushes.at(-1))).toEqual([1]);
    expect(server.timesApplied(keyOf(next))).toBe(1);
    expect(engine.getState()).toMatchObject({ waiting: 0, lastError: null });
  });

  it("two phones of one facility act on the same lot, each with its own client; the refused one's queue goes on", async () => {
    const phoneA = device(new MemoryStore());
    const phoneB = device(new MemoryStore());
    await Promise.all([phoneA.pull(), phoneB.pull()]);
    server.offline = true;
    await phoneA.enqueue(usage(2, 4));
    await phoneB.enqueue(usage(2, 4));
    await phoneB.enqueue(adjustment(2, 10));
    // The tries made while offline end before the signal returns.
    await Promise.all([phoneA.flush(), phoneB.flush()]);
    server.offline = false;
    const offlineTries = server.pushes.length;
    await phoneA.flush();
    await phoneB.flush();

    const [clientA, clientB] = server.pushClients.slice(offlineTries);
    expect(clientA).not.toBe(clientB);
    expect(server.pushes.slice(offlineTries).map(numbers)).toEqual([[1], [1, 2]]);
    expect(server.answers.map((answer) => answer.map((result) => result.status))).toEqual([
      ["applied"],
      ["rejected", "applied"],
    ]);
    expect(server.clients.get(clientB ?? "")?.last).toBe(2);
    expect(server.lots.get(2)?.quantity).toBe(20);
    expect((await phoneB.localState()).rejected.map((entry) => entry.reason)).toEqual(["stock.insufficient"]);
  });

  it("a different user on the same phone: after sign-out the next user's actions go under a new client from 1", async () => {
    const nurse = device();
    await nurse.enqueue(adjustment(1, 10));
    await nurse.flush();
    await nurse.wipe();

    const colleague = new SyncEngine({ storage, transport: server.transport(2), orgUnitId: FACILITY, clock });
    const action = adjustment(1, 20);
    await colleague.enqueue(action);
    await colleague.flush();
    const [nurseClient, colleagueClient] = server.pushClients;
    expect(colleagueClient).not.toBe(nurseClient);
    expect(server.pushes.map(numbers)).toEqual([[1], [1]]);
    expect(server.clients.get(colleagueClient ?? "")?.userId).toBe(2);
    expect(server.timesApplied(keyOf(action))).toBe(1);
  });

  it("a different user on a phone that kept its queue: the server refuses the old client and the phone starts a new one", async () => {
    const nurse = device();
    await nurse.enqueue(adjustment(1, 10));
    await nurse.flush();
    nurse.stop();

    const colleague = new SyncEngine({ storage, transport: server.transport(2), orgUnitId: FACILITY, clock });
    const action = adjustment(1, 20);
    await colleague.enqueue(action);
    await colleague.flush();
    const [nurseClient, refused, fresh] = server.pushClients;
    expect(refused).toBe(nurseClient);
    expect(fresh).not.toBe(nurseClient);
    expect(numbers(server.pushes.at(-1))).toEqual([1]);
    expect(server.clients.get(nurseClient ?? "")).toMatchObject({ userId: 1, last: 1 });
    expect(server.timesApplied(keyOf(action))).toBe(1);
    expect(colleague.getState()).toMatchObject({ waiting: 0, lastError: null });
  });
});

describe("pulling as another user on a phone that kept its client", () => {
  it("starts a new client when the server refuses the previous user's, and the pull goes on", async () => {
    const nurse = device();
    await nurse.enqueue(adjustment(1, 10));
    await nurse.flush();
    nurse.stop();

    const colleague = new SyncEngine({ storage, transport: server.transport(2), orgUnitId: FACILITY, clock });
    await colleague.pull();
    expect(colleague.getState().lastError).toBeNull();
    expect((await colleague.localState()).balances.find((lot) => lot.batchId === 1)?.quantity).toBe(110);
    const action = adjustment(1, 20);
    await colleague.enqueue(action);
    await colleague.flush();
    expect(server.pushClients.at(-1)).not.toBe(server.pushClients[0]);
    expect(server.clients.get(server.pushClients.at(-1) ?? "")).toMatchObject({ userId: 2, last: 1 });
  });
});
