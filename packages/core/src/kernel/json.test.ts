import { describe, expect, it } from "vitest";
import { canonicalJson, hashPayload } from "./json";

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it("writes dates as ISO strings and keeps array order", () => {
    expect(canonicalJson([new Date("2025-03-01T00:00:00Z"), 2, 1])).toBe('["2025-03-01T00:00:00.000Z",2,1]');
  });

  it("gives one hash to payloads that differ only in key order, another to any other change", () => {
    const payload = { orgUnitId: 5, lines: [{ batchId: 7, vials: 2 }] };
    expect(hashPayload({ lines: [{ vials: 2, batchId: 7 }], orgUnitId: 5 })).toBe(hashPayload(payload));
    expect(hashPayload({ ...payload, orgUnitId: 6 })).not.toBe(hashPayload(payload));
    expect(hashPayload(payload)).toMatch(/^[0-9a-f]{64}$/);
  });
});
