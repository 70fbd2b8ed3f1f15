import { describe, expect, it } from "vitest";
import type { RejectedAction, SyncAction } from "@/sync/types";
import { savedStatusOf } from "./saved-status";

const action = (idempotencyKey: string): SyncAction => ({
  kind: "distribution.receiveShipment",
  clientTime: new Date("2026-12-01T02:00:00Z"),
  input: { idempotencyKey, shipmentId: 4 },
});
const refused = (idempotencyKey: string): RejectedAction => ({
  action: action(idempotencyKey),
  reason: "distribution.shipment_status",
  params: {},
  rejectedAt: 0,
});

describe("where a saved action stands", () => {
  it("waits while queued, is refused once in the refused list, and is sent once it left the queue", () => {
    expect(savedStatusOf("a", { queued: [action("a")], rejected: [] }, { waiting: 1, syncing: true })).toBe("waiting");
    expect(savedStatusOf("a", { queued: [], rejected: [refused("a")] }, { waiting: 0, syncing: false })).toBe(
      "refused",
    );
    expect(savedStatusOf("a", { queued: [], rejected: [] }, { waiting: 0, syncing: false })).toBe("sent");
  });

  it("is not called sent while the screen's copy of the queue lags behind the counts", () => {
    expect(savedStatusOf("a", { queued: [], rejected: [] }, { waiting: 1, syncing: false })).toBe("waiting");
    expect(savedStatusOf("a", { queued: [], rejected: [] }, { waiting: 0, syncing: true })).toBe("waiting");
  });
});
