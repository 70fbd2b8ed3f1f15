import type { LocalState, SyncState } from "@/sync/engine";

/** Where an action a form saved on the phone stands: still waiting, sent, or refused by the server. */
export type SavedStatus = "waiting" | "sent" | "refused";

/**
 * The form returned as soon as its action was durable on the phone, so the action was queued
 * then. It is sent once it has left the queue without being refused; the screen's copy of the
 * queue may lag a moment behind the counts, so an action missing from that copy counts as sent
 * only when nothing waits and nothing is being sent (until then it is still said to wait).
 */
export function savedStatusOf(
  idempotencyKey: string,
  local: Pick<LocalState, "queued" | "rejected">,
  counts: Pick<SyncState, "waiting" | "syncing">,
): SavedStatus {
  if (local.rejected.some((entry) => entry.action.input.idempotencyKey === idempotencyKey)) return "refused";
  if (local.queued.some((action) => action.input.idempotencyKey === idempotencyKey)) return "waiting";
  return counts.waiting === 0 && !counts.syncing ? "sent" : "waiting";
}
