import { describe, expect, it } from "vitest";
import { FakeServer, ManualClock } from "./fake-server";
import { applyPullPage, emptyLocalData } from "./local-store";

const clock = new ManualClock(Date.parse("2026-12-01T02:00:00Z"));
const lots = [
  { batchId: 1, itemId: 10, lotNumber: "A1", expiryDate: "2027-06-30", vvmStage: 1, quantity: 100, dosesPerVial: 10 },
];

describe("applying a pulled page", () => {
  it("holds each entry once when a page is applied again after a crash, and stores dates as text", async () => {
    const server = new FakeServer(7, clock, lots);
    const key = crypto.randomUUID();
    await server.push(
      7,
      [
        {
          mutationId: 1,
          kind: "stock.recordAdjustment",
          clientTime: new Date(clock.now()),
          input: { idempotencyKey: key, orgUnitId: 7, batchId: 1, doses: 20, reason: "found", note: "shelf" },
        },
      ],
      { clientId: crypto.randomUUID(), platform: "android" },
      1,
    );
    const page = await server.pull(7, undefined);
    const once = applyPullPage(emptyLocalData(), page, true, clock.now());
    const twice = applyPullPage(once, page, false, clock.now());
    expect(twice.ledger.map((entry) => entry.id)).toEqual([1]);
    expect(twice.balances["1"]?.quantity).toBe(120);
    expect(twice.cursor).toBe("1");
    expect(typeof twice.ledger[0]?.occurredAt).toBe("string");
    expect(twice.reference?.items.map((item) => item.dosesPerVial)).toEqual([10]);
  });

  it("replaces the balances on the first page of a whole-state pull: lots no longer in stock leave", async () => {
    const stale = {
      ...emptyLocalData(),
      balances: {
        "9": {
          batchId: 9,
          itemId: 10,
          lotNumber: "Z9",
          expiryDate: "2027-01-01",
          vvmStage: 1,
          quantity: 40,
          updatedAt: "2026-11-01T00:00:00.000Z",
        },
      },
    };
    const server = new FakeServer(7, clock, lots);
    const page = await server.pull(7, undefined);
    expect(Object.keys(applyPullPage(stale, page, true, clock.now()).balances)).toEqual(["1"]);
    expect(Object.keys(applyPullPage(stale, page, false, clock.now()).balances)).toEqual(["1", "9"]);
  });
});
