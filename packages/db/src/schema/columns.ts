import { sql } from "drizzle-orm";
import { bigint, datetime, int } from "drizzle-orm/mysql-core";

/** Timestamps are UTC with millisecond precision; the connection runs with time zone 'Z'. */
export const timestamp = () => datetime({ mode: "date", fsp: 3 });

export const createdAt = () => timestamp().notNull().default(sql`CURRENT_TIMESTAMP(3)`);

export const updatedAt = () =>
  timestamp()
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date());

/** Surrogate key for reference tables (org units, users, items, equipment…). */
export const id = () => int({ unsigned: true }).autoincrement().primaryKey();
export const ref = () => int({ unsigned: true });

/** Surrogate key for tables that grow without bound (ledger, audit, alarms, outboxes). */
export const bigId = () => bigint({ mode: "number", unsigned: true }).autoincrement().primaryKey();
export const bigRef = () => bigint({ mode: "number", unsigned: true });
