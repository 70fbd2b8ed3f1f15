import { getTableColumns, getTableName, sql, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import type { Database } from "../client";

/**
 * Multi-row INSERTs written as text for the national dataset's millions of readings and
 * rollups, where building Drizzle objects per row would cost more than the database. Table and
 * column names come from the Drizzle schema (keys turned to snake_case as the client does);
 * values are numbers and UTC datetimes the seed computed itself, never outside input.
 */

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(name: string): string {
  if (!PLAIN_IDENTIFIER.test(name)) throw new Error(`unexpected SQL identifier ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/** `INSERT INTO t (a, b, …) VALUES ` for the given schema keys, in that order. */
export function insertHead<T extends Table>(table: T, keys: readonly (keyof T["_"]["columns"] & string)[]): string {
  const columns = getTableColumns(table);
  const names = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
    return quote(column.keyAsName ? toSnakeCase(column.name) : column.name);
  });
  return `INSERT INTO ${quote(getTableName(table))} (${names.join(", ")}) VALUES `;
}

/** The column's SQL name, quoted (for ON DUPLICATE KEY UPDATE clauses). */
export function columnSql<T extends Table>(table: T, key: keyof T["_"]["columns"] & string): string {
  const column = getTableColumns(table)[key];
  if (!column) throw new Error(`${getTableName(table)} has no column ${key}`);
  return quote(column.keyAsName ? toSnakeCase(column.name) : column.name);
}

/** A UTC DATETIME(3) literal from epoch ms. */
export function utcLiteral(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `'${iso.slice(0, 10)} ${iso.slice(11, 23)}'`;
}

/** Sends `head + rows + tail` in statements of at most `perStatement` rows, two in flight. */
export class BulkWriter {
  private pending: string[] = [];
  private inFlight: Promise<unknown>[] = [];
  rowsWritten = 0;

  constructor(
    private readonly db: Database,
    private readonly head: string,
    private readonly tail: string,
    private readonly perStatement = 4000,
  ) {}

  async add(row: string): Promise<void> {
    this.pending.push(row);
    if (this.pending.length >= this.perStatement) await this.send();
  }

  private async send(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = `${this.head}${this.pending.join(",")}${this.tail}`;
    this.rowsWritten += this.pending.length;
    this.pending = [];
    if (this.inFlight.length >= 2) await this.inFlight.shift();
    const statement = this.db.execute(sql.raw(text));
    // Awaited below; this only keeps a failure from counting as unhandled in the meantime.
    statement.catch(() => {});
    this.inFlight.push(statement);
  }

  async flush(): Promise<void> {
    await this.send();
    await Promise.all(this.inFlight);
    this.inFlight = [];
  }
}
