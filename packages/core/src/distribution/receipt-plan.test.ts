import { describe, expect, it } from "vitest";
import { AppError } from "../kernel/errors";
import { planReceipt, type ShippedLine, type TReceivedLine } from "./receipt-plan";

const bcg: ShippedLine = {
  id: 1,
  itemId: 7,
  itemName: "BCG",
  dosesPerVial: 10,
  batchId: 100,
  quantity: 100,
  vvmStage: 1,
};
const opv: ShippedLine = {
  id: 2,
  itemId: 8,
  itemName: "bOPV",
  dosesPerVial: 20,
  batchId: 200,
  quantity: 200,
  vvmStage: 2,
};
const lotItems = new Map([
  [101, 7],
  [201, 8],
]);

function report(line: Partial<TReceivedLine> & { shipmentLineId: number; receivedDoses: number }): TReceivedLine {
  return { damagedDoses: 0, ...line };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("planReceipt", () => {
  it("receives everything as shipped when nothing is reported", () => {
    const plan = planReceipt([bcg, opv], undefined, lotItems);
    expect(plan.arrivals).toEqual([
      { batchId: 100, itemId: 7, doses: 100, vvmStage: 1 },
      { batchId: 200, itemId: 8, doses: 200, vvmStage: 2 },
    ]);
    expect(plan.rows.map((row) => [row.discrepancy, row.receivedQuantity])).toEqual([
      ["none", 100],
      ["none", 200],
    ]);
    expect(plan.damaged).toEqual([]);
    expect(plan.hasDiscrepancy).toBe(false);
  });

  it("records a shortage: the missing doses enter no store", () => {
    const plan = planReceipt([bcg], [report({ shipmentLineId: 1, receivedDoses: 80 })], lotItems);
    expect(plan.arrivals).toEqual([{ batchId: 100, itemId: 7, doses: 80, vvmStage: 1 }]);
    expect(plan.rows.map((row) => [row.discrepancy, row.receivedQuantity, row.discrepancyQuantity])).toEqual([
      ["none", 80, 0],
      ["short", 0, 20],
    ]);
    expect(plan.lines).toEqual([
      { shipmentLineId: 1, batchId: 100, shippedDoses: 100, receivedDoses: 80, damagedDoses: 0, shortDoses: 20 },
    ]);
    expect(plan.hasDiscrepancy).toBe(true);
  });

  it("takes damaged doses in and discards them at the receiver, with short on top", () => {
    const plan = planReceipt([bcg], [report({ shipmentLineId: 1, receivedDoses: 70, damagedDoses: 20 })], lotItems);
    expect(plan.arrivals).toEqual([{ batchId: 100, itemId: 7, doses: 90, vvmStage: 1 }]);
    expect(plan.damaged).toEqual([{ shipmentLineId: 1, batchId: 100, itemId: 7, doses: 20, reason: "broken" }]);
    expect(plan.rows.map((row) => [row.discrepancy, row.discrepancyQuantity])).toEqual([
      ["none", 0],
      ["damaged", 20],
      ["short", 10],
    ]);
  });

  it("keeps the damage reason given, e.g. frozen in transit", () => {
    const plan = planReceipt(
      [bcg],
      [report({ shipmentLineId: 1, receivedDoses: 0, damagedDoses: 100, damageReason: "frozen" })],
      lotItems,
    );
    expect(plan.rows.map((row) => row.discrepancy)).toEqual(["damaged"]);
    expect(plan.damaged).toEqual([{ shipmentLineId: 1, batchId: 100, itemId: 7, doses: 100, reason: "frozen" }]);
  });

  it("receives a wrong lot of the same item under the lot that came", () => {
    const plan = planReceipt(
      [bcg],
      [report({ shipmentLineId: 1, receivedDoses: 100, receivedBatchId: 101 })],
      lotItems,
    );
    expect(plan.arrivals).toEqual([{ batchId: 101, itemId: 7, doses: 100, vvmStage: 1 }]);
    expect(plan.rows).toEqual([
      {
        shipmentLineId: 1,
        batchId: 101,
        receivedQuantity: 100,
        discrepancy: "wrong_batch",
        discrepancyQuantity: 100,
        note: null,
      },
    ]);
  });

  it("refuses reports that do not add up", () => {
    const cases: [ShippedLine[], TReceivedLine[], string][] = [
      [[bcg], [report({ shipmentLineId: 1, receivedDoses: 110 })], "more than that"],
      [[bcg], [report({ shipmentLineId: 1, receivedDoses: 90, damagedDoses: 20 })], "more than that"],
      [[bcg, opv], [report({ shipmentLineId: 1, receivedDoses: 100 })], "line 2 is missing"],
      [
        [bcg],
        [report({ shipmentLineId: 1, receivedDoses: 100 }), report({ shipmentLineId: 9, receivedDoses: 1 })],
        "Line 9 is not part",
      ],
      [[bcg], [report({ shipmentLineId: 1, receivedDoses: 100, receivedBatchId: 201 })], "not a lot of BCG"],
      [[bcg], [report({ shipmentLineId: 1, receivedDoses: 95 })], "not a whole number of vials"],
    ];
    for (const [shipped, reported, message] of cases) {
      const text = refusal(() => planReceipt(shipped, reported, lotItems));
      expect(text).toMatch(/^UNPROCESSABLE: /);
      expect(text).toContain(message);
    }
  });
});
