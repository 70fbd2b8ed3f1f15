import type { SensorRef } from "@rantai/core/coldchain/readings-store";
import { readingsTopic, statusTopic } from "@rantai/core/coldchain/sensor-protocol";
import { describe, expect, it } from "vitest";
import {
  type ConfirmableMessage,
  checkConfirmationRequest,
  MAX_CORRELATION_DATA_BYTES,
  renderConfirmation,
  tallyConfirmations,
} from "./confirmation";
import { routeMessage, rowsOf } from "./message";

const receivedAt = new Date();
const ts = (minutesAgo: number) => new Date(receivedAt.getTime() - minutesAgo * 60_000).toISOString();

function message(topic: string, body: unknown, confirm = true): ConfirmableMessage {
  const payload = Buffer.from(JSON.stringify(body));
  const route = routeMessage(topic, payload, receivedAt);
  const confirmation = confirm ? { request: { topic: "t", correlationData: undefined }, tally: null } : undefined;
  return { topic, payload, receivedAt, route, rows: rowsOf(route), settle: () => {}, confirmation };
}

describe("confirmation request", () => {
  const id = Buffer.from("batch-1");

  it("is honoured only on the sender's own confirmation topic", () => {
    expect(checkConfirmationRequest(readingsTopic("RTS-1"), undefined, id)).toBeNull();
    expect(checkConfirmationRequest(readingsTopic("RTS-1"), "coldchain/v1/sensors/RTS-1/stored", id)).toEqual({
      topic: "coldchain/v1/sensors/RTS-1/stored",
      correlationData: id,
    });
    expect(checkConfirmationRequest(statusTopic("RTS-1"), "coldchain/v1/sensors/RTS-1/stored", undefined)).toEqual({
      topic: "coldchain/v1/sensors/RTS-1/stored",
      correlationData: undefined,
    });
    for (const foreign of [
      "coldchain/v1/sensors/RTS-2/stored",
      "coldchain/v1/sensors/+/stored",
      "coldchain/v1/sensors/#",
      "coldchain/v1/sensors/RTS-1/stored/x",
      "coldchain/v1/sensors/RTS-1/readings",
      "coldchain/v1/sensors/RTS-1/status",
      "$SYS/broker/stored",
      "",
    ])
      expect(checkConfirmationRequest(readingsTopic("RTS-1"), foreign, id), foreign).toBe("foreign_topic");
    // A message on a malformed topic has no sender to confirm to.
    expect(checkConfirmationRequest("coldchain/v1/sensors/RTS-1/x", "coldchain/v1/sensors/RTS-1/stored", id)).toBe(
      "foreign_topic",
    );
  });

  it("refuses correlation data over the limit", () => {
    const topic = "coldchain/v1/sensors/RTS-1/stored";
    const fits = Buffer.alloc(MAX_CORRELATION_DATA_BYTES, 1);
    expect(checkConfirmationRequest(readingsTopic("RTS-1"), topic, fits)).toEqual({ topic, correlationData: fits });
    expect(checkConfirmationRequest(readingsTopic("RTS-1"), topic, Buffer.alloc(MAX_CORRELATION_DATA_BYTES + 1))).toBe(
      "correlation_too_long",
    );
  });
});

describe("confirmation payload", () => {
  it("is the three counts as JSON, nothing else", () => {
    const payload = renderConfirmation({ stored: 3, duplicate: 1, rejected: 2 });
    expect(JSON.parse(payload.toString())).toEqual({ stored: 3, duplicate: 1, rejected: 2 });
    expect(payload.toString()).toBe('{"stored":3,"duplicate":1,"rejected":2}');
  });

  it("tallies each confirmed message: stored, already stored, repeated in the flush, rejected", () => {
    const sensors = new Map<string, SensorRef>([
      ["RTS-1", { id: 1, active: true }],
      ["RTS-OFF", { id: 2, active: false }],
    ]);
    const a = message(readingsTopic("RTS-1"), {
      readings: [
        { ts: ts(3), tempC: 4 },
        { ts: ts(2), tempC: 4 },
        { ts: ts(1), tempC: 999 },
      ],
    });
    // Not confirmed, but its reading is stored first in the same flush.
    const plain = message(readingsTopic("RTS-1"), { ts: ts(5), tempC: 4 }, false);
    const b = message(readingsTopic("RTS-1"), {
      readings: [
        { ts: ts(5), tempC: 4 },
        { ts: ts(2), tempC: 4 },
        { ts: ts(4), tempC: 4 },
      ],
    });
    const off = message(readingsTopic("RTS-OFF"), { readings: [{ ts: ts(1), tempC: 4 }] });
    const unknown = message(statusTopic("RTS-NEW"), { online: true });
    const status = message(statusTopic("RTS-1"), { online: true });
    const storedBefore = new Set([`1:${Date.parse(ts(3))}`]);

    const tallies = tallyConfirmations([a, plain, b, off, unknown, status], sensors, storedBefore);
    const tallyOf = (m: ConfirmableMessage) => (m.confirmation ? tallies.get(m.confirmation) : "none");
    expect(tallyOf(a)).toEqual({ stored: 1, duplicate: 1, rejected: 1 });
    expect(tallyOf(plain)).toBe("none");
    expect(tallyOf(b)).toEqual({ stored: 1, duplicate: 2, rejected: 0 });
    expect(tallyOf(off)).toEqual({ stored: 0, duplicate: 0, rejected: 1 });
    expect(tallyOf(unknown)).toEqual({ stored: 0, duplicate: 0, rejected: 1 });
    expect(tallyOf(status)).toEqual({ stored: 0, duplicate: 0, rejected: 0 });
    expect(tallies.size).toBe(5);
  });

  it("confirms nothing stored for a message whose planning failed, whatever it parsed to", () => {
    const sensors = new Map<string, SensorRef>([["RTS-1", { id: 1, active: true }]]);
    const failed = message(readingsTopic("RTS-1"), { readings: [{ ts: ts(3), tempC: 4 }] });
    const fine = message(readingsTopic("RTS-1"), { readings: [{ ts: ts(2), tempC: 4 }] });
    const tallies = tallyConfirmations([failed, fine], sensors, new Set(), new Set([failed]));
    expect(failed.confirmation && tallies.get(failed.confirmation)).toEqual({ stored: 0, duplicate: 0, rejected: 1 });
    expect(fine.confirmation && tallies.get(fine.confirmation)).toEqual({ stored: 1, duplicate: 0, rejected: 0 });
  });
});
