import { beforeAll, describe, expect, it } from "vitest";
import { SyncEngine } from "./engine";
import { type FakeLot, FakeServer, ManualClock } from "./fake-server";
import { applyPullPage, emptyLocalData, type LocalData } from "./local-store";
import { checkAction, LocalRejection, shownBalances } from "./optimistic";
import { MemoryStore } from "./storage";
import type { SyncAction } from "./types";

const FACILITY = 7;
const NOW = Date.parse("2026-12-01T02:00:00Z");
/** Lot 1: 10 vials of 10 doses; lot 2: expired, 5 vials; lot 3: past the VVM discard point, 2 vials. */
const LOTS: FakeLot[] = [
  { batchId: 1, itemId: 10, lotNumber: "A1", expiryDate: "2027-06-30", vvmStage: 1, quantity: 100, dosesPerVial: 10 },
  { batchId: 2, itemId: 10, lotNumber: "B2", expiryDate: "2026-11-30", vvmStage: 1, quantity: 50, dosesPerVial: 10 },
  { batchId: 3, itemId: 10, lotNumber: "C3", expiryDate: "2027-06-30", vvmStage: 3, quantity: 20, dosesPerVial: 10 },
];

let pulled: LocalData;
beforeAll(async () => {
  const clock = new ManualClock(NOW);
  const server = new FakeServer(FACILITY, clock, LOTS);
  pulled = applyPullPage(emptyLocalData(), await server.pull(FACILITY, undefined), true, NOW);
});

const at = new Date(NOW);
const key = () => crypto.randomUUID();

const discard = (batchId: number, vials: number): SyncAction => ({
  kind: "stock.recordDiscard",
  clientTime: at,
  input: { idempotencyKey: key(), orgUnitId: FACILITY, lines: [{ batchId, vials, reason: "vvm_discard_point" }] },
});
const adjust = (batchId: number, doses: number, reason: "found" | "lost" | "data_correction"): SyncAction => ({
  kind: "stock.recordAdjustment",
  clientTime: at,
  input: { idempotencyKey: key(), orgUnitId: FACILITY, batchId, doses, reason, note: "shelf check" },
});
const count = (...lines: { batchId: number; countedDoses: number }[]) =>
  ({
    kind: "stock.recordStockCount",
    clientTime: at,
    input: { idempotencyKey: key(), orgUnitId: FACILITY, lines },
  }) satisfies SyncAction;

function shown(queued: SyncAction[]) {
  return Object.fromEntries(
    shownBalances(pulled, queued).map((lot) => [lot.batchId, [lot.quantity, lot.pendingDoses]] as const),
  );
}

function refusal(queued: SyncAction[], next: SyncAction) {
  try {
    checkAction(pulled, queued, next, new Date(NOW));
  } catch (error) {
    if (error instanceof LocalRejection) return { reason: error.reason, params: error.params };
    throw error;
  }
  return null;
}

describe("discards on the phone", () => {
  it("take whole vials from the lot at once, unusable lots included", () => {
    expect(shown([discard(1, 2), discard(3, 2)])).toMatchObject({ 1: [80, -20], 3: [0, -20] });
    // Expired and VVM-unusable lots are what discards are for.
    expect(refusal([], discard(2, 5))).toBeNull();
    expect(refusal([], discard(3, 1))).toBeNull();
  });

  it("are refused when the lot holds fewer vials than shown after what is queued", () => {
    expect(refusal([discard(1, 8)], discard(1, 3))).toEqual({
      reason: "stock.insufficient",
      params: expect.objectContaining({ batchId: 1, lotNumber: "A1", availableDoses: 20, neededDoses: 30 }),
    });
  });
});

describe("adjustments on the phone", () => {
  it("add or remove the signed doses", () => {
    expect(shown([adjust(1, 30, "found"), adjust(1, -10, "lost")])).toMatchObject({ 1: [120, 20] });
  });

  it("are refused in a direction their reason forbids, before the stock is looked at", () => {
    expect(refusal([], adjust(1, -500, "found"))?.reason).toBe("stock.adjustment_direction");
    expect(refusal([], adjust(1, 10, "lost"))).toEqual({
      reason: "stock.adjustment_direction",
      params: { batchId: 1, reason: "lost", doses: 10 },
    });
  });

  it("are refused when not whole vials, or when they would take more than is shown", () => {
    expect(refusal([], adjust(1, 5, "found"))?.reason).toBe("stock.not_whole_vials");
    expect(refusal([discard(1, 5)], adjust(1, -60, "data_correction"))?.params).toMatchObject({
      availableDoses: 50,
      neededDoses: 60,
    });
    expect(refusal([discard(1, 5)], adjust(1, -50, "data_correction"))).toBeNull();
  });
});

describe("stock counts on the phone", () => {
  it("set each lot to what was counted, whatever was queued before, and later actions start from it", () => {
    const queued = [discard(1, 2), count({ batchId: 1, countedDoses: 60 }, { batchId: 2, countedDoses: 50 })];
    expect(shown(queued)).toMatchObject({ 1: [60, -40], 2: [50, 0] });
    expect(shown([...queued, discard(1, 1)])).toMatchObject({ 1: [50, -50] });
    expect(refusal(queued, discard(1, 7))?.params).toMatchObject({ availableDoses: 60, neededDoses: 70 });
  });

  it("may find more or nothing, but only whole vials", () => {
    expect(refusal([], count({ batchId: 1, countedDoses: 0 }))).toBeNull();
    expect(refusal([], count({ batchId: 1, countedDoses: 150 }))).toBeNull();
    expect(shown([count({ batchId: 1, countedDoses: 150 })])).toMatchObject({ 1: [150, 50] });
    expect(refusal([], count({ batchId: 1, countedDoses: 55 }))).toEqual({
      reason: "stock.not_whole_vials",
      params: { batchId: 1, doses: 55, dosesPerVial: 10 },
    });
  });
});

describe("stock requests on the phone", () => {
  it("move no stock until a shipment comes", () => {
    const request: SyncAction = {
      kind: "distribution.createRequest",
      clientTime: at,
      input: { idempotencyKey: key(), requesterOrgUnitId: FACILITY, lines: [{ itemId: 10, requestedDoses: 200 }] },
    };
    expect(refusal([], request)).toBeNull();
    expect(shown([request])).toMatchObject({ 1: [100, 0], 2: [50, 0], 3: [20, 0] });
  });
});

describe("a count sent offline", () => {
  it("shows the counted quantity while queued, after it is applied and once pulled, applied once", async () => {
    const clock = new ManualClock(NOW);
    const server = new FakeServer(FACILITY, clock, LOTS);
    const engine = new SyncEngine({
      storage: new MemoryStore(),
      transport: server.transport(),
      orgUnitId: FACILITY,
      clock,
    });
    await engine.pull();
    server.offline = true;
    const counted = count({ batchId: 1, countedDoses: 70 });
    await engine.enqueue(discard(3, 2));
    await engine.enqueue(counted);
    const lotsShown = async () =>
      Object.fromEntries((await engine.localState()).balances.map((lot) => [lot.batchId, lot.quantity]));
    expect(await lotsShown()).toMatchObject({ 1: 70, 3: 0 });

    // Meanwhile another device of the facility records a vial of the lot: the count is absolute, so
    // the shelf's quantity still stands once it arrives.
    server.offline = false;
    const elsewhere: SyncAction = {
      kind: "stock.recordUsage",
      clientTime: at,
      input: {
        idempotencyKey: key(),
        orgUnitId: FACILITY,
        lines: [{ batchId: 1, vialsOpened: 1, dosesAdministered: 8 }],
      },
    };
    const otherPhone = { clientId: crypto.randomUUID(), platform: "android" as const };
    const answer = await server.push(FACILITY, [{ ...elsewhere, mutationId: 1 }], otherPhone, 1);
    expect(answer.results[0]?.status).toBe("applied");
    await engine.flush();
    expect(server.timesApplied(counted.input.idempotencyKey)).toBe(1);
    expect(await lotsShown()).toMatchObject({ 1: 70, 3: 0 });
    await engine.pull();
    expect(await lotsShown()).toMatchObject({ 1: 70, 3: 0 });
    expect((await engine.localState()).balances.every((lot) => lot.pendingDoses === 0)).toBe(true);
    await engine.flush();
    expect(server.timesApplied(counted.input.idempotencyKey)).toBe(1);
    expect(server.lots.get(1)?.quantity).toBe(70);
  });
});
