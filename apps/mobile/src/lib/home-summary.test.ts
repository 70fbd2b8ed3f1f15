import { describe, expect, it } from "vitest";
import type { LocalState } from "@/sync/engine";
import type { LocalAlarm, LocalShipment } from "@/sync/local-store";
import type { SyncAction } from "@/sync/types";
import { shownAlarms, shownBalances } from "../sync/optimistic";
import { fridgeAlarmOf, homeSummaryOf } from "./home-summary";
import { stockItemsOf } from "./local-stock";
import { balance, facilityData, fridge } from "./testing";

const now = new Date("2026-12-01T02:00:00Z");

function alarm(id: number, equipmentId: number, fields: Partial<LocalAlarm>): LocalAlarm {
  return {
    id,
    equipmentId,
    sensorId: equipmentId,
    type: "heat",
    status: "open",
    startedAt: "2026-11-30T20:00:00.000Z",
    endedAt: null,
    durationSeconds: 0,
    peakCentiC: 1100,
    minCentiC: null,
    acknowledgedAt: null,
    acknowledgementComment: null,
    updatedAt: "2026-11-30T20:00:00.000Z",
    ...fields,
  };
}

function shipment(id: number, status: LocalShipment["status"]): LocalShipment {
  return {
    id,
    status,
    requestId: null,
    senderOrgUnitId: 3,
    senderName: "Dinkes Sleman",
    dispatchedAt: `2026-11-2${id}T03:00:00.000Z`,
    receivedAt: null,
    updatedAt: "2026-11-29T03:00:00.000Z",
    lines: [],
  };
}

function usage(batchId: number, vialsOpened: number): SyncAction {
  return {
    kind: "stock.recordUsage",
    clientTime: now,
    input: {
      idempotencyKey: crypto.randomUUID(),
      orgUnitId: 7,
      lines: [{ batchId, vialsOpened, dosesAdministered: 1 }],
    },
  };
}

function stateOf(data: LocalState["data"], queued: SyncAction[] = []): LocalState {
  return {
    balances: shownBalances(data, queued),
    alarms: shownAlarms(data, queued),
    data,
    queued,
    rejected: [],
    fetchedAt: data.fetchedAt,
  };
}

describe("the stock book on the phone", () => {
  it("rates each item by months of usable stock against its levels, with what waits to be sent", () => {
    // BCG: 200 doses less 3 vials of 20 waiting = 140, AMC 100 → 1.4 months (normal: min 1, max 2);
    // MR: 40 doses, AMC 50 → 0.8 months (below min 1).
    const data = facilityData([balance(1, 1, 200), balance(2, 2, 40)]);
    const items = stockItemsOf(data, shownBalances(data, [usage(1, 3)]), now);
    expect(items.map((item) => [item.itemCode, item.stockOnHand, item.status, item.pendingDoses])).toEqual([
      ["BCG", 140, "normal", -60],
      ["MR", 40, "below_min", 0],
    ]);
    expect(items[1]?.monthsOfStock).toBe(0.8);
  });

  it("keeps an item the facility consumes but no longer holds, as a stock-out, and leaves out what it neither holds nor uses", () => {
    const data = facilityData([balance(1, 1, 100)], { consumption: [{ itemId: 2, averageMonthlyConsumption: 30 }] });
    const items = stockItemsOf(data, shownBalances(data, []), now);
    expect(items.map((item) => [item.itemCode, item.status])).toEqual([
      ["BCG", "unknown"],
      ["MR", "stock_out"],
    ]);
  });

  it("counts expired lots as unusable and usable doses expiring within 90 days as expiring", () => {
    const data = facilityData([balance(1, 1, 100, "2026-11-30"), balance(3, 1, 60, "2027-01-15"), balance(4, 1, 40)]);
    const [bcg] = stockItemsOf(data, shownBalances(data, []), now);
    expect(bcg).toMatchObject({ stockOnHand: 200, usableStock: 100, unusableStock: 100, expiringSoon: 60 });
  });
});

describe("the home screen's summary", () => {
  it("shows each fridge with its trend and most pressing alarm, the stock to watch, shipments on the way and the queue", () => {
    const data = facilityData([balance(1, 1, 0), balance(2, 2, 40, "2027-01-10")], {
      fridges: [fridge(11, 7.9, 5.1), fridge(12, 4.8, 4.9), fridge(13, null, null)],
      alarms: {
        "1": alarm(1, 11, { type: "heat" }),
        "2": alarm(2, 12, { type: "freeze", endedAt: "2026-11-30T22:00:00.000Z" }),
        "3": alarm(3, 13, { status: "resolved", endedAt: "2026-11-30T22:00:00.000Z" }),
      },
      shipments: { "1": shipment(1, "dispatched"), "2": shipment(2, "dispatched"), "3": shipment(3, "received") },
    });
    const receipt: SyncAction = {
      kind: "distribution.receiveShipment",
      clientTime: now,
      input: { idempotencyKey: crypto.randomUUID(), shipmentId: 2 },
    };
    const summary = homeSummaryOf(stateOf(data, [receipt]), now);
    expect(summary.fridges.map((entry) => [entry.fridge.equipmentId, entry.trend, entry.alarm])).toEqual([
      [11, "rising", { type: "heat", phase: "ongoing" }],
      [12, "steady", { type: "freeze", phase: "needsAcknowledgement" }],
      [13, "unknown", null],
    ]);
    expect(summary.stockOut.map((item) => item.itemCode)).toEqual(["BCG"]);
    expect(summary.belowMin.map((item) => item.itemCode)).toEqual(["MR"]);
    expect(summary.expiring.map((item) => item.itemCode)).toEqual(["MR"]);
    // Shipment 2 is received on the phone, 3 was received already: only 1 is still on its way.
    expect(summary.shipmentsOnTheWay.map((item) => item.id)).toEqual([1]);
    expect(summary.waiting).toBe(1);
  });

  it("prefers an alarm still going to one that ended", () => {
    const alarms = [
      alarm(1, 11, { type: "freeze", endedAt: "2026-11-30T22:00:00.000Z" }),
      alarm(2, 11, { type: "heat", status: "acknowledged" }),
    ];
    expect(fridgeAlarmOf(alarms, 11)).toEqual({ type: "heat", phase: "ongoing" });
    expect(fridgeAlarmOf(alarms, 99)).toBeNull();
  });
});
