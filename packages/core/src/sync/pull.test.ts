import { describe, expect, it } from "vitest";
import { ZSyncPullSchema } from "./pull";

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

describe("ZSyncPullSchema", () => {
  it("reads a cursor the server made", () => {
    const parsed = ZSyncPullSchema.parse({
      orgUnitId: 5,
      cursor: cursorOf({ ledgerId: 42, since: 1_700_000_000_000 }),
    });
    expect(parsed.cursor).toEqual({ ledgerId: 42, since: 1_700_000_000_000 });
    expect(parsed.limit).toBe(500);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["a negative entry id", cursorOf({ ledgerId: -1, since: 0 })],
    ["extra fields", cursorOf({ ledgerId: 1, since: 0, orgUnitId: 9 })],
    ["a missing field", cursorOf({ ledgerId: 1 })],
    ["an overlong text", "a".repeat(201)],
  ])("refuses a cursor with %s", (_, cursor) => {
    expect(ZSyncPullSchema.safeParse({ orgUnitId: 5, cursor }).success).toBe(false);
  });

  it("bounds the page size", () => {
    expect(ZSyncPullSchema.safeParse({ orgUnitId: 5, limit: 1001 }).success).toBe(false);
    expect(ZSyncPullSchema.safeParse({ orgUnitId: 5, limit: 0 }).success).toBe(false);
  });
});
