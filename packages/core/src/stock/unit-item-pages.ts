import { type Executor, orgUnits } from "@rantai/db";
import { and, asc, eq, gte, like } from "drizzle-orm";
import { subtreePattern } from "../kernel/authorization/scope";
import { keysetPage, type SortCursor } from "../kernel/pagination";
import type { ReportReadOptions } from "../kernel/report-definition";

/**
 * Paging for reports with one row per unit (facility or district) and vaccine, in tree order.
 * Units are taken `limit + 1` at a time and the rows of just those units are computed, so a page
 * of a national report reads the ledger of a page of facilities, never the whole country's.
 */

/** Past every item id: a cursor that resumes at the next unit. */
const NEXT_UNIT = 2 ** 31;

/**
 * Most units read for one page. A unit holds several vaccines, so an export's 1,000-row page
 * needs far fewer than 1,000 facilities; a page that falls short simply resumes at the next unit.
 */
const MAX_UNITS_PER_PAGE = 200;

export interface PageUnit {
  id: number;
  path: string;
  name: string;
}

export interface UnitItemRow {
  path: string;
  itemId: number;
}

export async function readUnitItemPage<Row extends UnitItemRow>(
  db: Executor,
  { scope }: ReportReadOptions,
  level: "facility" | "district",
  cursor: SortCursor | null,
  limit: number,
  readRows: (units: readonly PageUnit[]) => Promise<Row[]>,
): Promise<{ rows: Row[]; nextCursor: SortCursor | null }> {
  const unitLimit = Math.min(limit, MAX_UNITS_PER_PAGE);
  const units = await db
    .select({ id: orgUnits.id, path: orgUnits.path, name: orgUnits.name })
    .from(orgUnits)
    .where(
      and(
        like(orgUnits.path, subtreePattern(scope.path)),
        eq(orgUnits.level, level),
        eq(orgUnits.active, true),
        cursor ? gte(orgUnits.path, String(cursor.key)) : undefined,
      ),
    )
    .orderBy(asc(orgUnits.path))
    .limit(unitLimit + 1);
  if (units.length === 0) return { rows: [], nextCursor: null };
  const lastUnit = units.at(-1);
  // Resume after the last unit read when its rows did not fill the page (some hold no vaccine).
  const resumeAt = units.length > unitLimit && lastUnit ? { key: lastUnit.path, id: NEXT_UNIT } : null;
  const after = (row: Row) =>
    !cursor || row.path > String(cursor.key) || (row.path === String(cursor.key) && row.itemId > cursor.id);
  // Paths hold digits and slashes only, so JavaScript's order is the database's.
  const rows = (await readRows(units))
    .filter(after)
    .sort((a, b) => (a.path === b.path ? a.itemId - b.itemId : a.path < b.path ? -1 : 1));
  const page = keysetPage(rows, limit, (row): SortCursor => ({ key: row.path, id: row.itemId }));
  return { rows: page.items, nextCursor: page.nextCursor ?? resumeAt };
}

/** The unit a grouped report's rows stand for: a district below a province or the nation, else a facility. */
export async function defaultGrouping(db: Executor, { scope, parameters }: ReportReadOptions) {
  if (parameters.groupBy) return parameters.groupBy;
  const [unit] = await db.select({ level: orgUnits.level }).from(orgUnits).where(eq(orgUnits.id, scope.id));
  return unit?.level === "national" || unit?.level === "province" ? "district" : "facility";
}
