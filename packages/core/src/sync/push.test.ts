import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_SYNC_ACTIONS, ZSyncPushSchema } from "./push";

const usage = (idempotencyKey = randomUUID(), mutationId = 1) => ({
  mutationId,
  kind: "stock.recordUsage",
  clientTime: new Date(),
  input: { idempotencyKey, orgUnitId: 5, lines: [{ batchId: 1, vialsOpened: 1, dosesAdministered: 5 }] },
});

const client = { clientId: randomUUID(), platform: "android" };
/** A push of the client's actions numbered from 1 on. */
const push = (actions: ReturnType<typeof usage>[]) => ({
  orgUnitId: 5,
  client,
  actions: actions.map((action, index) => ({ ...action, mutationId: index + 1 })),
});

describe("ZSyncPushSchema", () => {
  it("accepts a batch of known actions", () => {
    expect(ZSyncPushSchema.safeParse(push([usage(), usage()])).success).toBe(true);
  });

  it("refuses a push without its client, or with actions out of their numbers' order", () => {
    const { client: _, ...anonymous } = push([usage()]);
    expect(ZSyncPushSchema.safeParse(anonymous).success).toBe(false);
    expect(
      ZSyncPushSchema.safeParse({ ...push([]), actions: [usage(randomUUID(), 2), usage(randomUUID(), 1)] }).success,
    ).toBe(false);
    expect(ZSyncPushSchema.safeParse({ ...push([]), actions: [usage(randomUUID(), 0)] }).success).toBe(false);
    expect(ZSyncPushSchema.safeParse({ ...push([usage()]), client: { ...client, clientId: "phone-1" } }).success).toBe(
      false,
    );
  });

  it("refuses an empty batch and one over the bound", () => {
    expect(ZSyncPushSchema.safeParse(push([])).success).toBe(false);
    const tooMany = Array.from({ length: MAX_SYNC_ACTIONS + 1 }, () => usage());
    expect(ZSyncPushSchema.safeParse(push(tooMany)).success).toBe(false);
  });

  it("refuses one key used by two actions of a batch", () => {
    const key = randomUUID();
    expect(ZSyncPushSchema.safeParse(push([usage(key), usage(key)])).success).toBe(false);
  });

  it("refuses an unknown kind and an action's input that its procedure would refuse", () => {
    const unknown = { ...usage(), kind: "stock.reverseEntry" };
    expect(ZSyncPushSchema.safeParse(push([unknown])).success).toBe(false);
    const bad = usage();
    bad.input.lines = [];
    expect(ZSyncPushSchema.safeParse(push([bad])).success).toBe(false);
    const future = { ...usage(), clientTime: new Date(Date.now() + 86_400_000) };
    expect(ZSyncPushSchema.safeParse(push([future])).success).toBe(false);
  });
});
