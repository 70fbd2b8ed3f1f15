import { changeOutbox, type Transaction } from "@rantai/db";
import { writeAudit } from "../auth/audit";
import type { PostedEntry } from "../stock/ledger";
import type { DomainContext } from "./context";
import type { JsonValue } from "./json";

/**
 * Every stock or distribution change leaves two traces in its own transaction: an audit row (who
 * did what, for accountability) and change-feed rows (what changed, for outside systems such as
 * DHIS2). Both commit or roll back with the change itself.
 */

export interface Change {
  action: string;
  entityType: string;
  entityId: number | string;
  orgUnitId: number;
  operation: "create" | "update";
  payload: JsonValue;
}

/** Audits a change and publishes it on the change feed. */
export async function recordChange(tx: Transaction, ctx: DomainContext, change: Change): Promise<void> {
  await writeAudit(tx, ctx.meta, {
    action: change.action,
    outcome: "success",
    actorUserId: ctx.actor.userId,
    entityType: change.entityType,
    entityId: change.entityId,
    orgUnitId: change.orgUnitId,
    after: change.payload,
  });
  await tx.insert(changeOutbox).values({
    entityType: change.entityType,
    entityId: String(change.entityId),
    orgUnitId: change.orgUnitId,
    operation: change.operation,
    payload: change.payload,
  });
}

/** One change-feed row per ledger entry, so outside systems can replay every movement. */
export async function recordLedgerOutbox(tx: Transaction, entries: readonly PostedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(changeOutbox).values(
    entries.map((entry) => ({
      entityType: "stock_ledger_entry",
      entityId: String(entry.id),
      orgUnitId: entry.orgUnitId,
      operation: "create" as const,
      payload: entry,
    })),
  );
}

/** How a mutation is audited: the movement's idempotency key identifies it across retries. */
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
