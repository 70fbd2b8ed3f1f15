import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_SYNC_ACTIONS, ZSyncPushSchema } from "./push";

const usage = (idempotencyKey = randomUUID()) => ({
  kind: "stock.recordUsage",
  clientTime: new Date(),
  input: { idempotencyKey, orgUnitId: 5, lines: [{ batchId: 1, vialsOpened: 1, dosesAdministered: 5 }] },
});

describe("ZSyncPushSchema", () => {
  it("accepts a batch of known actions", () => {
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [usage(), usage()] }).success).toBe(true);
  });

  it("refuses an empty batch and one over the bound", () => {
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [] }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_SYNC_ACTIONS + 1 }, () => usage());
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: tooMany }).success).toBe(false);
  });

  it("refuses one key used by two actions of a batch", () => {
    const key = randomUUID();
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [usage(key), usage(key)] }).success).toBe(false);
  });

  it("refuses an unknown kind and an action's input that its procedure would refuse", () => {
    const unknown = { ...usage(), kind: "stock.reverseEntry" };
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [unknown] }).success).toBe(false);
    const bad = usage();
    bad.input.lines = [];
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [bad] }).success).toBe(false);
    const future = { ...usage(), clientTime: new Date(Date.now() + 86_400_000) };
    expect(ZSyncPushSchema.safeParse({ orgUnitId: 5, actions: [future] }).success).toBe(false);
  });
});
