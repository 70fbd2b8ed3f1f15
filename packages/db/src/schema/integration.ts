import { index, json, mysqlEnum, mysqlTable, primaryKey, varchar } from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, ref, updatedAt } from "./columns";

export const changeOperations = ["create", "update", "delete"] as const;

/**
 * The change feed for outside systems: every business change appends a row in its own
 * transaction. The auto-increment id is the feed's cursor.
 */
export const changeOutbox = mysqlTable(
  "change_outbox",
  {
    id: bigId(),
    entityType: varchar({ length: 48 }).notNull(),
    entityId: varchar({ length: 64 }).notNull(),
    orgUnitId: ref().notNull(),
    operation: mysqlEnum(changeOperations).notNull(),
    payload: json().notNull(),
    occurredAt: createdAt(),
  },
  (t) => [index("change_outbox_org_unit_idx").on(t.orgUnitId, t.id)],
);

/** How far each machine client has read the change feed. */
export const integrationCursors = mysqlTable(
  "integration_cursors",
  {
    machineClientId: ref().notNull(),
    feed: varchar({ length: 48 }).notNull(),
    lastChangeId: bigRef().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.machineClientId, t.feed] })],
);
