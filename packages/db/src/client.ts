import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { MySqlTransaction } from "drizzle-orm/mysql-core";
import {
  drizzle,
  type MySql2Database,
  type MySql2PreparedQueryHKT,
  type MySql2QueryResultHKT,
} from "drizzle-orm/mysql2";
import mysql from "mysql2/promise";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = MySql2Database<Schema>;
export type Transaction = MySqlTransaction<
  MySql2QueryResultHKT,
  MySql2PreparedQueryHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** What query functions take: the database, or a transaction they run inside. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  pool: mysql.Pool;
  close(): Promise<void>;
}

export function createDatabase(options: { url: string; poolSize?: number }): DatabaseHandle {
  const pool = mysql.createPool({
    uri: options.url,
    connectionLimit: options.poolSize ?? 10,
    // All DATETIME columns hold UTC; without this mysql2 would read them in the host's zone.
    timezone: "Z",
    supportBigNumbers: true,
    enableKeepAlive: true,
    queryFormat: formatQuery,
  });
  const db = drizzle(pool, { schema, mode: "default", casing: "snake_case" });
  return { db, pool, close: () => pool.end() };
}

/**
 * mysql2's own formatting, minus one wasted pass: it scans every statement for `?` placeholders
 * even when there are no values to put in, and ingest sends ~400 KB INSERTs built as text
 * (see coldchain/sql-values) that have none. Without values the statement is returned as is,
 * which is also what mysql2 returns after its scan.
 */
export function formatQuery(this: { config?: { timezone?: string } } | undefined, query: string, values: unknown) {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return query;
  // Values come from mysql2's callers (Drizzle), which pass what mysql2 itself accepts.
  return mysql.format(query, values as Parameters<typeof mysql.format>[1], false, this?.config?.timezone ?? "Z");
}

/** Splits a mysql:// URL into the server part and the database name. */
export function splitDatabaseUrl(url: string): { serverUrl: string; database: string } {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, "");
  parsed.pathname = "/";
  return { serverUrl: parsed.toString(), database };
}
