import { beforeAll, describe, expect, it } from "vitest";
import { type FakeLot, FakeServer, ManualClock } from "../sync/fake-server";
import { applyPullPage, emptyLocalData, type LocalData } from "../sync/local-store";
import { shownBalances } from "../sync/optimistic";
import type { SyncAction } from "../sync/types";
import { countedLots, lotsInStock, parseWholeNumber, requestLines, shownRequests } from "./stock-book";

const NOW = Date.parse("2026-12-01T02:00:00Z");
const LOTS: FakeLot[] = [
  { batchId: 1, itemId: 10, lotNumber: "A1", expiryDate: "2027-06-30", vvmStage: 1, quantity: 100, dosesPerVial: 10 },
  { batchId: 2, itemId: 10, lotNumber: "B2", expiryDate: "2027-01-31", vvmStage: 3, quantity: 50, dosesPerVial: 10 },
  { batchId: 3, itemId: 20, lotNumber: "C3", expiryDate: "2026-11-30", vvmStage: 1, quantity: 0, dosesPerVial: 1 },
];

let data: LocalData;
beforeAll(async () => {
  const server = new FakeServer(7, new ManualClock(NOW), LOTS);
  data = applyPullPage(emptyLocalData(), await server.pull(7, undefined), true, NOW);
  data = {
    ...data,
    itemFigures: [{ itemId: 10, averageMonthlyConsumption: 120, minMonths: 1, maxMonths: 2 }],
  };
});

const local = (queued: SyncAction[] = []) => ({
  data,
  balances: shownBalances(data, queued),
  queued,
  rejected: [],
});

const request = (requestedDoses: number): SyncAction => ({
  kind: "distribution.createRequest",
  clientTime: new Date(NOW),
  input: { idempotencyKey: crypto.randomUUID(), requesterOrgUnitId: 7, lines: [{ itemId: 10, requestedDoses }] },
});

describe("the stock book on the phone", () => {
  it("lists the lots in stock with their item, vials and whether they may still be given", () => {
    const lots = lotsInStock(local(), new Date(NOW));
    expect(lots.map((lot) => [lot.lotNumber, lot.vials, lot.usable])).toEqual([
      ["B2", 5, false],
      ["A1", 10, true],
    ]);
    expect(lots[1]?.daysUntilExpiry).toBeGreaterThan(200);
  });

  it("reads whole numbers only", () => {
    expect(parseWholeNumber(" 12 ")).toBe(12);
    expect(parseWholeNumber("")).toBe("empty");
    expect(parseWholeNumber("1,5")).toBe("invalid");
    expect(parseWholeNumber("-3")).toBe("invalid");
  });

  it("gives each counted lot its difference from what is shown", () => {
    const lots = lotsInStock(local(), new Date(NOW));
    const counted = countedLots(lots, { 1: "9", 2: "x" });
    expect(counted.map((line) => [line.lot.batchId, line.countedDoses, line.differenceDoses, line.invalid])).toEqual([
      [2, null, 0, true],
      [1, 90, -10, false],
    ]);
  });

  it("suggests the server's order from usable stock, consumption and min/max", () => {
    // Usable 100 doses (lot B2 is past the VVM discard point), AMC 120: below min 1 month, so
    // max 2 × 120 − 100 = 140 doses, 14 vials.
    const [first, second] = requestLines(local(), new Date(NOW));
    expect(first).toMatchObject({ itemId: 10, usableDoses: 100, suggestedDoses: 140, minMonths: 1, maxMonths: 2 });
    expect(first?.monthsOfStock).toBeCloseTo(0.833, 3);
    // An item without figures from the server yet suggests nothing.
    expect(second).toMatchObject({ itemId: 20, suggestedDoses: 0, minMonths: null, averageMonthlyConsumption: 0 });
  });

  it("counts what is queued when suggesting, and lists requests on the phone before the server's", () => {
    const usedUp: SyncAction = {
      kind: "stock.recordDiscard",
      clientTime: new Date(NOW),
      input: {
        idempotencyKey: crypto.randomUUID(),
        orgUnitId: 7,
        lines: [{ batchId: 1, vials: 10, reason: "broken" }],
      },
    };
    expect(requestLines(local([usedUp]), new Date(NOW))[0]?.suggestedDoses).toBe(240);
    const waiting = request(240);
    const pulled = {
      id: 5,
      status: "approved" as const,
      supplierOrgUnitId: 3,
      submittedAt: "2026-11-30T02:00:00.000Z",
      decidedAt: "2026-11-30T05:00:00.000Z",
      rejectionReason: null,
      updatedAt: "2026-11-30T05:00:00.000Z",
      lines: [{ itemId: 10, requestedDoses: 100, approvedDoses: 80 }],
    };
    const shown = shownRequests({ ...local([waiting]), data: { ...data, requests: { 5: pulled } } });
    expect(shown.map((row) => row.state)).toEqual(["waiting", "pulled"]);
    expect(shown[0]).toMatchObject({ lines: [{ itemId: 10, requestedDoses: 240 }] });
  });
});
