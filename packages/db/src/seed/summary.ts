import { count } from "drizzle-orm";
import type { MySqlTable } from "drizzle-orm/mysql-core";
import type { Executor } from "../client";
import {
  batches,
  equipment,
  items,
  orgUnits,
  readingRollupsDaily,
  readingRollupsHourly,
  readings,
  sensorStates,
  sensors,
  stockBalances,
  stockLedger,
  stockLevels,
  supplyLinks,
  users,
} from "../schema";

/** Every table the seed writes, by its SQL name. */
export const seededTables = {
  org_units: orgUnits,
  supply_links: supplyLinks,
  items,
  batches,
  users,
  equipment,
  sensors,
  sensor_states: sensorStates,
  stock_ledger: stockLedger,
  stock_balances: stockBalances,
  stock_levels: stockLevels,
  readings,
  reading_rollups_hourly: readingRollupsHourly,
  reading_rollups_daily: readingRollupsDaily,
} satisfies Record<string, MySqlTable>;

export type SeededTable = keyof typeof seededTables;
export type TableCounts = Record<SeededTable, number>;

export interface TableSummary {
  /** Rows in the table after the seed. */
  total: number;
  /** Rows the seed added; 0 everywhere on a rerun. */
  added: number;
}

export interface SeededAccount {
  email: string;
  name: string;
  role: string;
  orgUnitCode: string;
  orgUnitName: string;
}

export interface SeedSummary {
  now: Date;
  historyDays: number;
  durationMs: number;
  orgUnitsByLevel: { national: number; province: number; district: number; facility: number };
  tables: Record<SeededTable, TableSummary>;
  /** Planned ledger entries left out because they would have made a balance negative. */
  stockEntriesSkipped: number;
  /** The demo accounts, all with the password DEMO_PASSWORD. */
  accounts: SeededAccount[];
}

// Object.keys() is typed string[]; these are exactly the keys of the literal above.
const tableNames = Object.keys(seededTables) as SeededTable[];

export async function countSeededTables(executor: Executor): Promise<TableCounts> {
  const counts = await Promise.all(
    tableNames.map(async (name) => {
      const [row] = await executor.select({ n: count() }).from(seededTables[name]);
      return row?.n ?? 0;
    }),
  );
  return Object.fromEntries(tableNames.map((name, index) => [name, counts[index] ?? 0])) as TableCounts;
}

export function diffCounts(before: TableCounts, after: TableCounts): Record<SeededTable, TableSummary> {
  return Object.fromEntries(
    tableNames.map((name) => [name, { total: after[name], added: after[name] - before[name] }]),
  ) as Record<SeededTable, TableSummary>;
}

export async function countOrgUnitsByLevel(executor: Executor): Promise<SeedSummary["orgUnitsByLevel"]> {
  const rows = await executor.select({ level: orgUnits.level, n: count() }).from(orgUnits).groupBy(orgUnits.level);
  const byLevel = { national: 0, province: 0, district: 0, facility: 0 };
  for (const row of rows) byLevel[row.level] = row.n;
  return byLevel;
}

/** Rows of text as aligned columns, the first row being the header. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return [];
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)];
}

/** The summary as aligned text lines, for the CLI. */
export function formatSummary(summary: SeedSummary): string[] {
  const { national, province, district, facility } = summary.orgUnitsByLevel;
  const lines = [
    `Demo world seeded in ${(summary.durationMs / 1000).toFixed(1)} s (history: ${summary.historyDays} days up to ${summary.now.toISOString()})`,
    `Org units: ${national} national, ${province} province, ${district} districts, ${facility} puskesmas`,
    "",
    ...formatTable([
      ["table", "rows", "added"],
      ...Object.entries(summary.tables).map(([name, { total, added }]) => [name, String(total), String(added)]),
    ]),
  ];
  if (summary.stockEntriesSkipped > 0) {
    lines.push("", `Skipped ${summary.stockEntriesSkipped} stock entries that would have made a balance negative.`);
  }
  return lines;
}
