import { changeOutbox, type Transaction } from "@rantai/db";
import { writeAudit } from "../auth/audit";
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
  await publishChanges(tx, [change]);
}

/**
 * Publishes rows on the change feed without an audit row: for changes already audited as part of
 * a larger one (the ledger entries of an audited stock movement), which outside systems still
 * replay one by one.
 */
export async function publishChanges(tx: Transaction, changes: readonly Omit<Change, "action">[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(changeOutbox).values(
    changes.map((change) => ({
      entityType: change.entityType,
      entityId: String(change.entityId),
      orgUnitId: change.orgUnitId,
      operation: change.operation,
      payload: change.payload,
    })),
  );
}
