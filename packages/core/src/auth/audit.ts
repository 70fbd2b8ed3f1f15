import { auditLog, type Executor } from "@rantai/db";
import type { RequestMeta } from "../kernel/context";
import { contextLogger } from "../kernel/logger";

export interface AuditEntry {
  action: string;
  outcome: "success" | "denied" | "failed";
  actorUserId?: number | null;
  entityType?: string;
  entityId?: string | number;
  orgUnitId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends to the audit log (inside the caller's transaction when given one) and logs one line. */
export async function writeAudit(db: Executor, meta: RequestMeta, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    outcome: entry.outcome,
    actorUserId: entry.actorUserId ?? null,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId === undefined ? null : String(entry.entityId),
    orgUnitId: entry.orgUnitId ?? null,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 255) ?? null,
    requestId: meta.requestId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
  contextLogger({ requestId: meta.requestId, actorId: entry.actorUserId })[
    entry.outcome === "success" ? "info" : "warn"
  ](
    {
      action: entry.action,
      outcome: entry.outcome,
      entityType: entry.entityType,
      entityId: entry.entityId,
      orgUnitId: entry.orgUnitId,
    },
    "audit",
  );
}

export type { RequestMeta } from "../kernel/context";
