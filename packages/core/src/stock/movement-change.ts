import type { Change } from "../kernel/change-log";
import type { JsonValue } from "../kernel/json";
import type { PostedEntry } from "./ledger";

/** How a stock movement is audited: the movement's idempotency key identifies it across retries. */
export function movementChange(
  action: string,
  key: string,
  orgUnitId: number,
  entries: readonly PostedEntry[],
  extra: { [key: string]: JsonValue } = {},
): Change {
  return {
    action,
    entityType: "stock_movement",
    entityId: key,
    orgUnitId,
    operation: "create",
    payload: { ...extra, entries: entries.map((entry) => ({ ...entry })) },
  };
}
