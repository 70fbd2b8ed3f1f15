import type { SensorRef } from "@rantai/core/coldchain/readings-store";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DETAILED_REJECTIONS, type IngestMessage, laneHash, planFlush, routeMessage, rowsOf } from "./message";

const receivedAt = new Date("2025-01-31T02:00:00Z");
const ts = receivedAt.getTime() - 60_000;

function message(topic: string, payload: string | Buffer): IngestMessage {
  const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
  const route = routeMessage(topic, bytes, receivedAt);
  return { topic, payload: bytes, receivedAt, route, rows: rowsOf(route), settle() {} };
}

const sensors = new Map<string, SensorRef>([
  ["RTS-1", { id: 11, active: true }],
  ["RTS-OFF", { id: 12, active: false }],
]);

describe("planFlush", () => {
  it("turns accepted readings into rows of the topic's sensor", () => {
    const plan = planFlush(
      [message("coldchain/v1/sensors/RTS-1/readings", JSON.stringify({ ts, tempC: 4.5 }))],
      sensors,
    );
    expect(plan.readingRows).toEqual([
      { sensorId: 11, ts: new Date(ts), tempCentiC: 450, batteryPct: null, seq: null, receivedAt },
    ]);
    expect(plan.deadLetters).toEqual([]);
    expect(plan.received).toBe(1);
  });

  it("dead-letters one bad reading of a batch with its index, several in one row with details", () => {
    const good = { ts, tempC: 5 };
    const one = message("coldchain/v1/sensors/RTS-1/readings", JSON.stringify({ readings: [good, { ts }, good] }));
    const two = message(
      "coldchain/v1/sensors/RTS-1/readings",
      JSON.stringify({ readings: [{ ts, tempC: 99 }, good, { tempC: 1 }] }),
    );
    const plan = planFlush([one, two], sensors);
    expect(plan.readingRows).toHaveLength(3);
    expect(plan.deadLetters).toHaveLength(2);
    expect(plan.deadLetters[0]).toMatchObject({ readingIndex: 1, reasonCode: "invalid_temp", deviceId: "RTS-1" });
    expect(plan.deadLetters[1]).toMatchObject({ readingIndex: null, reasonCode: "temp_out_of_range" });
    expect(plan.deadLetters[1]?.reason).toMatch(/^2 of 3 readings rejected: \[0\] tempC .*; \[2\] ts /);
    expect(plan.deadLetters[1]?.details).toEqual({
      rejected: [expect.objectContaining({ index: 0 }), expect.objectContaining({ index: 2 })],
    });
    expect(Object.fromEntries(plan.rejected)).toEqual({ invalid_temp: 1, temp_out_of_range: 1, invalid_ts: 1 });
    expect(plan.received).toBe(6);
  });

  it("rejects whole messages of unknown and inactive devices, keeping the raw bytes", () => {
    const batch = JSON.stringify({
      readings: [
        { ts, tempC: 5 },
        { ts, tempC: "x" },
      ],
    });
    const plan = planFlush(
      [
        message("coldchain/v1/sensors/RTS-404/readings", batch),
        message("coldchain/v1/sensors/RTS-OFF/readings", batch),
      ],
      sensors,
    );
    expect(plan.readingRows).toEqual([]);
    expect(plan.deadLetters.map((row) => [row.reasonCode, row.deviceId, row.payload.toString()])).toEqual([
      ["unknown_device", "RTS-404", batch],
      ["inactive_device", "RTS-OFF", batch],
    ]);
    expect(Object.fromEntries(plan.rejected)).toEqual({ unknown_device: 2, inactive_device: 2 });
  });

  it("routes status messages and dead-letters bad ones and bad topics", () => {
    const plan = planFlush(
      [
        message("coldchain/v1/sensors/RTS-1/status", '{"online": true}'),
        message("coldchain/v1/sensors/RTS-1/status", ""),
        message("coldchain/v1/sensors/RTS-1/status", '{"online": "yes"}'),
        message("coldchain/v1/sensors/bad id!/readings", "{}"),
      ],
      sensors,
    );
    expect(plan.statuses).toEqual([{ sensorId: 11, online: true, at: receivedAt }]);
    expect(plan.statusCleared).toBe(1);
    expect(plan.deadLetters.map((row) => row.reasonCode)).toEqual(["invalid_status", "topic_mismatch"]);
    expect(Object.fromEntries(plan.messages)).toEqual({ status: 3, bad_topic: 1 });
  });
});

describe("laneHash", () => {
  it("gives a device the same lane every time and spreads devices evenly", () => {
    expect(laneHash("RTS-0001")).toBe(laneHash("RTS-0001"));
    expect(laneHash(null)).toBe(0);
    let lane1 = 0;
    for (let i = 0; i < 10_000; i += 1) lane1 += laneHash(`RTS-${String(i).padStart(6, "0")}`) % 2;
    expect(lane1).toBeGreaterThan(4500);
    expect(lane1).toBeLessThan(5500);
  });
});

describe("nothing thrown while handling one message escapes it", () => {
  it("routeMessage never throws, whatever the topic and bytes", () => {
    const topics = fc.oneof(
      fc.constantFrom("coldchain/v1/sensors/RTS-1/readings", "coldchain/v1/sensors/RTS-1/status"),
      fc.string({ unit: "binary", maxLength: 80 }),
    );
    fc.assert(
      fc.property(topics, fc.uint8Array({ maxLength: 400 }), (topic, bytes) => {
        const route = routeMessage(topic, Buffer.from(bytes), receivedAt);
        expect(["readings", "status", "bad_topic"]).toContain(route.kind);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);

  it("a message whose reading throws becomes an internal_error route, then a dead letter", () => {
    // A payload object that throws when read stands for any fault of ours inside the parser.
    const hostile = Buffer.from('{"ts":1,"tempC":4}');
    Object.defineProperty(hostile, "length", {
      get() {
        throw new RangeError("Maximum call stack size exceeded");
      },
    });
    const route = routeMessage("coldchain/v1/sensors/RTS-1/readings", hostile, receivedAt);
    expect(route).toEqual({
      kind: "failed",
      deviceId: "RTS-1",
      reason: expect.stringContaining("(RangeError: Maximum call stack size exceeded)"),
    });
    const plan = planFlush(
      [{ topic: "coldchain/v1/sensors/RTS-1/readings", payload: hostile, receivedAt, route, rows: 0, settle() {} }],
      sensors,
    );
    expect(plan.deadLetters).toEqual([
      expect.objectContaining({
        deviceId: "RTS-1",
        reasonCode: "internal_error",
        readingIndex: null,
        payload: hostile,
      }),
    ]);
    expect(Object.fromEntries(plan.rejected)).toEqual({ internal_error: 1 });
    expect(Object.fromEntries(plan.messages)).toEqual({ failed: 1 });
    expect(plan.received).toBe(1);
  });

  it("a message whose planning throws is dead-lettered whole; the rest of the flush is planned as usual", () => {
    const good = message("coldchain/v1/sensors/RTS-1/readings", JSON.stringify({ ts, tempC: 4 }));
    const broken = message(
      "coldchain/v1/sensors/RTS-1/readings",
      JSON.stringify({
        readings: [
          { ts: ts + 1, tempC: 5 },
          { ts: ts + 2, tempC: 6 },
        ],
      }),
    );
    // The accepted rows are read, then the rejections throw: nothing of the message may remain.
    if (broken.route.kind !== "readings") throw new Error("expected a readings route");
    const { accepted } = broken.route.parsed;
    broken.route.parsed = {
      accepted,
      get rejected(): never {
        throw new TypeError("planning failed");
      },
    };
    const plan = planFlush([good, broken, good], sensors);
    expect(plan.readingRows.map((row) => row.tempCentiC)).toEqual([400, 400]);
    expect(plan.deadLetters).toEqual([
      expect.objectContaining({
        reasonCode: "internal_error",
        deviceId: "RTS-1",
        payload: broken.payload,
        reason: expect.stringContaining("(TypeError: planning failed)"),
      }),
    ]);
    expect(plan.received).toBe(3);
    expect(Object.fromEntries(plan.rejected)).toEqual({ internal_error: 1 });
    expect(Object.fromEntries(plan.messages)).toEqual({ readings: 2, failed: 1 });
  });

  it("keeps details of a batch of 1000 bad readings bounded: every index and code, the first 100 reasons", () => {
    const bad = JSON.stringify({
      readings: Array.from({ length: 1000 }, (_, i) => ({ ts: ts - i, tempC: "x".repeat(150) })),
    });
    const plan = planFlush([message("coldchain/v1/sensors/RTS-1/readings", bad)], sensors);
    const [row] = plan.deadLetters;
    const details = row?.details as { rejected: { index: number; code: string; reason?: string }[] };
    expect(details.rejected).toHaveLength(1000);
    expect(details.rejected.filter((entry) => entry.reason !== undefined)).toHaveLength(DETAILED_REJECTIONS);
    expect(details.rejected[999]).toEqual({ index: 999, code: "invalid_temp" });
    expect(JSON.stringify(details).length).toBeLessThan(64_000);
  });
});
