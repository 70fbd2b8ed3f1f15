import { describe, expect, it } from "vitest";
import { formatUuidV4, randomUuid } from "./uuid";

// The server's check (zod's z.uuid()): RFC 9562 version and variant.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("randomUuid", () => {
  it("makes a new UUID each time", () => {
    const keys = new Set(Array.from({ length: 100 }, randomUuid));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(UUID);
  });

  it("formats any 16 bytes as a version 4 UUID, the fallback where randomUUID is missing", () => {
    expect(formatUuidV4(new Uint8Array(16).fill(0xff))).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    expect(formatUuidV4(new Uint8Array(16))).toBe("00000000-0000-4000-8000-000000000000");
    expect(formatUuidV4(new Uint8Array(16).fill(0x5a))).toMatch(UUID);
  });
});
