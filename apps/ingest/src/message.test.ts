import type { SensorRef } from "@rantai/api/coldchain/readings-store";
import { describe, expect, it } from "vitest";
import { type IngestMessage, laneHash, planFlush, routeMessage, rowsOf } from "./message";

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
