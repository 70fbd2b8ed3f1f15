import { describe, expect, it } from "vitest";
import { type AllocatableLot, proposeAllocation } from "./allocation";

// 2025-03-01, 10:00 WIB.
const at = new Date("2025-03-01T03:00:00Z");

function lot(
  batchId: number,
  expiryDate: string,
  vvmStage: number,
  availableDoses: number,
  itemId = 1,
): AllocatableLot {
  return { batchId, itemId, lotNumber: `L${batchId}`, expiryDate, vvmStage, availableDoses, dosesPerVial: 10 };
}

/** Each case: lots on hand, doses wanted of item 1 → [lot, doses] picked, shortfall doses. */
const cases: {
  name: string;
  lots: AllocatableLot[];
  doses: number;
  picks: [number, number][];
  short: number;
}[] = [
  {
    name: "earliest expiry first among equal VVM stages (FEFO)",
    lots: [lot(1, "2025-12-31", 1, 100), lot(2, "2025-06-30", 1, 100)],
    doses: 50,
    picks: [[2, 50]],
    short: 0,
  },
  {
    name: "VVM stage 2 before stage 1, even with a later expiry",
    lots: [lot(1, "2025-05-31", 1, 100), lot(2, "2026-01-31", 2, 100)],
    doses: 50,
    picks: [[2, 50]],
    short: 0,
  },
  {
    name: "spills over to the next lot when the first runs out",
    lots: [lot(1, "2025-12-31", 1, 100), lot(2, "2025-06-30", 1, 30)],
    doses: 80,
    picks: [
      [2, 30],
      [1, 50],
    ],
    short: 0,
  },
  {
    name: "never an expired lot (expired yesterday), even if it expires first",
    lots: [lot(1, "2025-02-28", 1, 100), lot(2, "2025-09-30", 1, 100)],
    doses: 40,
    picks: [[2, 40]],
    short: 0,
  },
  {
    name: "a lot expiring today is still usable",
    lots: [lot(1, "2025-03-01", 1, 100), lot(2, "2025-09-30", 1, 100)],
    doses: 40,
    picks: [[1, 40]],
    short: 0,
  },
  {
    name: "never a VVM stage 3 or 4 lot",
    lots: [lot(1, "2025-04-30", 3, 100), lot(2, "2025-05-31", 4, 100), lot(3, "2025-12-31", 1, 20)],
    doses: 50,
    picks: [[3, 20]],
    short: 30,
  },
  {
    name: "rounds demand up to whole vials",
    lots: [lot(1, "2025-12-31", 1, 100)],
    doses: 45,
    picks: [[1, 50]],
    short: 0,
  },
  {
    name: "reports the shortfall when stock is not enough",
    lots: [lot(1, "2025-12-31", 1, 60)],
    doses: 100,
    picks: [[1, 60]],
    short: 40,
  },
  {
    name: "ignores other items' lots and empty lots; ties broken by lot id",
    lots: [
      lot(5, "2025-06-30", 1, 100, 2),
      lot(4, "2025-06-30", 1, 0),
      lot(3, "2025-06-30", 1, 100),
      lot(2, "2025-06-30", 1, 100),
    ],
    doses: 150,
    picks: [
      [2, 100],
      [3, 50],
    ],
    short: 0,
  },
];

describe("proposeAllocation", () => {
  it.each(cases)("$name", ({ lots, doses, picks, short }) => {
    const result = proposeAllocation(lots, [{ itemId: 1, doses }], at);
    expect(result.lines.map((line) => [line.batchId, line.doses])).toEqual(picks);
    const shortfall = result.shortfalls.find((s) => s.itemId === 1);
    expect(shortfall ? shortfall.requestedDoses - shortfall.allocatedDoses : 0).toBe(short);
  });

  it("does not give the same doses to two demands for one item", () => {
    const lots = [lot(1, "2025-06-30", 1, 100)];
    const result = proposeAllocation(
      lots,
      [
        { itemId: 1, doses: 70 },
        { itemId: 1, doses: 70 },
      ],
      at,
    );
    expect(result.lines.map((line) => line.doses)).toEqual([70, 30]);
    expect(result.shortfalls).toEqual([{ itemId: 1, requestedDoses: 70, allocatedDoses: 30 }]);
  });
});
