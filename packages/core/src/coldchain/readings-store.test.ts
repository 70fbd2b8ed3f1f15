import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DeadLetterRow,
  deadLetterValues,
  MAX_DEAD_LETTER_DETAILS_CHARS,
  MAX_DEAD_LETTER_PAYLOAD_BYTES,
  MAX_DEAD_LETTER_REASON_CHARS,
} from "./readings-store";

const row = (overrides: Partial<DeadLetterRow>): DeadLetterRow => ({
  source: "mqtt",
  topic: "coldchain/v1/sensors/RTS-1/readings",
  deviceId: "RTS-1",
  reasonCode: "invalid_json",
  reason: "payload is not valid JSON",
  readingIndex: null,
  payload: Buffer.from("{"),
  receivedAt: new Date("2025-01-31T00:00:00Z"),
  ...overrides,
});
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("deadLetterValues: every dead letter fits its row", () => {
  it("keeps a payload whole up to the limit, with its size and hash", () => {
    const payload = Buffer.alloc(MAX_DEAD_LETTER_PAYLOAD_BYTES, 0x7b);
    const values = deadLetterValues(row({ payload }));
    expect(values.payload).toEqual(payload);
    expect(values.payloadBytes).toBe(MAX_DEAD_LETTER_PAYLOAD_BYTES);
    expect(values.payloadSha256).toBe(sha256(payload));
  });

  it("cuts a bigger payload to the limit; size and hash still describe the whole", () => {
    const payload = Buffer.concat([Buffer.alloc(MAX_DEAD_LETTER_PAYLOAD_BYTES, 0x61), Buffer.from("tail")]);
    const values = deadLetterValues(row({ payload, reasonCode: "payload_too_large" }));
    expect(values.payload).toEqual(payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD_BYTES));
    expect(values.payloadBytes).toBe(payload.length);
    expect(values.payloadSha256).toBe(sha256(payload));
  });

  it("makes the reason printable and at most 2000 characters", () => {
    const reason = `got "\u0000\u001b[31m\u202e\ud800" ${"😀".repeat(3000)}`;
    const values = deadLetterValues(row({ reason }));
    expect(values.reason.length).toBeLessThanOrEqual(MAX_DEAD_LETTER_REASON_CHARS);
    expect(values.reason.startsWith('got "\ufffd\ufffd[31m\ufffd\ufffd" 😀')).toBe(true);
    expect(values.reason.endsWith("…")).toBe(true);
    expect(Buffer.from(values.reason).toString()).toBe(values.reason);
  });

  it("stores details only as bounded, plain JSON", () => {
    expect(deadLetterValues(row({ details: { rejected: [{ index: 1 }] } })).details).toEqual({
      rejected: [{ index: 1 }],
    });
    expect(deadLetterValues(row({})).details).toBeNull();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(deadLetterValues(row({ details: cyclic })).details).toEqual({ omitted: expect.stringContaining("JSON") });
    expect(deadLetterValues(row({ details: { n: 10n } })).details).toEqual({
      omitted: expect.stringContaining("JSON"),
    });
    const huge = { text: "x".repeat(MAX_DEAD_LETTER_DETAILS_CHARS) };
    expect(deadLetterValues(row({ details: huge })).details).toEqual({ omitted: expect.stringContaining("at most") });
  });

  it("never throws and always fits the columns", () => {
    const text = fc.string({ unit: "binary", maxLength: 3000 });
    fc.assert(
      fc.property(
        fc.record({ topic: text, reason: text, reasonCode: text, index: fc.oneof(fc.constant(null), fc.double()) }),
        fc.anything(),
        ({ topic, reason, reasonCode, index }, details) => {
          const values = deadLetterValues(row({ topic, reason, reasonCode, readingIndex: index, details }));
          expect(values.topic.length).toBeLessThanOrEqual(255);
          expect(values.reasonCode.length).toBeLessThanOrEqual(48);
          expect(values.reason.length).toBeLessThanOrEqual(MAX_DEAD_LETTER_REASON_CHARS);
          expect(values.reason).not.toMatch(/[\p{Cc}\p{Cs}]/u);
          if (values.readingIndex !== null && values.readingIndex !== undefined) {
            expect(Number.isInteger(values.readingIndex)).toBe(true);
            expect(values.readingIndex).toBeGreaterThanOrEqual(0);
          }
          expect(JSON.stringify(values.details ?? null).length).toBeLessThanOrEqual(MAX_DEAD_LETTER_DETAILS_CHARS);
        },
      ),
      { numRuns: 500 },
    );
  }, 60_000);
});
