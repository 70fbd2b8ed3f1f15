import { type Column, getTableColumns, getTableName, type SQL, sql, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

/*
 * Table and column names for the ingest path's prebuilt statements (see sql-values), taken from
 * the Drizzle schema objects: a column renamed in the schema renames it in every statement, and
 * a column removed or a key renamed fails the typecheck. Statements build their text from these
 * once, at module load, so the names cost nothing per flush.
 */

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `name` in backticks. The schema only uses plain names; anything else is refused, not escaped. */
export function quoteIdentifier(name: string): string {
  if (!PLAIN_IDENTIFIER.test(name)) throw new Error(`unexpected SQL identifier ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/**
 * A column's name in the database. The schema mostly names columns by their keys, which the
 * database client turns into snake_case (`casing: "snake_case"` in @rantai/db's client); a
 * column given a name of its own keeps it. sql-names.test.ts checks this against the client.
 */
export function columnName(column: Column): string {
  return column.keyAsName ? toSnakeCase(column.name) : column.name;
}

export interface SqlNames<T extends Table> {
  /** The table's name, quoted. */
  table: string;
  /** Each column's name in the database, quoted, under its schema key. */
  columns: { readonly [K in keyof T["_"]["columns"]]: string };
}

export function sqlNames<T extends Table>(table: T): SqlNames<T> {
  const columns: Record<string, string> = {};
  for (const [key, column] of Object.entries(getTableColumns(table)))
    columns[key] = quoteIdentifier(columnName(column));
  // Every key of the table's columns was filled in just above.
  return { table: quoteIdentifier(getTableName(table)), columns: columns as SqlNames<T>["columns"] };
}

/** The same names as SQL chunks, for statements written with Drizzle's `sql` template. */
export interface SqlNameChunks<T extends Table> {
  table: SQL;
  columns: { readonly [K in keyof T["_"]["columns"]]: SQL };
}

export function sqlNameChunks<T extends Table>(names: SqlNames<T>): SqlNameChunks<T> {
  const columns: Record<string, SQL> = {};
  for (const [key, name] of Object.entries<string>(names.columns)) columns[key] = sql.raw(name);
  return { table: sql.raw(names.table), columns: columns as SqlNameChunks<T>["columns"] };
}
