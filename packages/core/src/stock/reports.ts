import { type Executor, items, orgUnits } from "@rantai/db";
import { and, asc, count, eq, gte, like, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { subtreePattern } from "../kernel/authorization/scope";
import { afterSortCursor, keysetPage, type SortCursor } from "../kernel/pagination";
import {
  facilityColumns,
  itemColumns,
  type ReportColumn,
  type ReportDefinition,
  type ReportReadOptions,
} from "../kernel/report-definition";
import type { CellValue } from "../kernel/table-writers";
import { suggestedOrderDoses } from "./indicators";
import { facilityItemStockFigures } from "./scope-figures";

/**
 * The stock reports: one row per facility and vaccine over a unit's scope, read from the same
 * figures the overview and the facility table count (scope-figures.ts: usable stock, expiry
 * windows, the status against the store's min/max), in tree order (district by district).
 */

/** Past every item id: a cursor that resumes at the next facility. */
const NEXT_FACILITY = 2 ** 31;

type FigureRow = Awaited<ReturnType<typeof readFigureRows>>["rows"][number];

/**
 * The rows after `cursor` for the next facilities in tree order. Facilities are taken `limit + 1`
 * at a time, so each query groups the balances of a page's facilities, never the whole scope.
 */
async function readFigureRows(db: Executor, options: ReportReadOptions, cursor: SortCursor | null, limit: number) {
  const { scope, parameters, now } = options;
  const nextFacilities = await db
    .select({ id: orgUnits.id, path: orgUnits.path })
    .from(orgUnits)
    .where(
      and(
        like(orgUnits.path, subtreePattern(scope.path)),
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        cursor ? gte(orgUnits.path, String(cursor.key)) : undefined,
      ),
    )
    .orderBy(asc(orgUnits.path))
    .limit(limit + 1);
  const lastFacility = nextFacilities.at(-1);
  // Resume after the last facility read when its rows did not fill the page (some hold no vaccine).
  const resumeAt = nextFacilities.length > limit && lastFacility ? { key: lastFacility.path, id: NEXT_FACILITY } : null;
  if (nextFacilities.length === 0) return { rows: [], resumeAt };
  const figures = facilityItemStockFigures(db, scope.path, now, {
    facilityIds: nextFacilities.map((facility) => facility.id),
    ...(parameters.itemId === undefined ? {} : { itemId: parameters.itemId }),
  });
  const district = alias(orgUnits, "district");
  const rows = await db
    .select({
      path: orgUnits.path,
      district: district.name,
      facilityCode: orgUnits.code,
      facility: orgUnits.name,
      itemId: items.id,
      itemCode: items.code,
      item: items.name,
      dosesPerVial: items.dosesPerVial,
      stockOnHand: figures.stockOnHand,
      usableStock: figures.usableStock,
      expiring30Doses: figures.expiring30Doses,
      expiring60Doses: figures.expiring60Doses,
      expiring90Doses: figures.expiring90Doses,
      averageMonthlyConsumption: figures.averageMonthlyConsumption,
      minMonths: figures.minMonths,
      maxMonths: figures.maxMonths,
      status: figures.status,
    })
    .from(figures)
    .innerJoin(orgUnits, eq(orgUnits.id, figures.facilityId))
    .leftJoin(district, eq(district.id, orgUnits.parentId))
    .innerJoin(items, eq(items.id, figures.itemId))
    .where(cursor ? afterSortCursor(sql`${orgUnits.path}`, sql`${items.id}`, cursor, "asc") : undefined)
    .orderBy(asc(orgUnits.path), asc(items.id))
    .limit(limit + 1);
  return { rows, resumeAt };
}

async function readStockPage(
  db: Executor,
  options: ReportReadOptions,
  cursor: SortCursor | null,
  limit: number,
  toCells: (row: FigureRow) => CellValue[],
) {
  const { rows, resumeAt } = await readFigureRows(db, options, cursor, limit);
  const page = keysetPage(rows, limit, (row): SortCursor => ({ key: row.path, id: row.itemId }));
  return { rows: page.items.map(toCells), nextCursor: page.nextCursor ?? resumeAt };
}

async function countStockRows(db: Executor, { scope, parameters, now }: ReportReadOptions): Promise<number> {
  const figures = facilityItemStockFigures(
    db,
    scope.path,
    now,
    parameters.itemId === undefined ? {} : { itemId: parameters.itemId },
  );
  const [row] = await db.select({ rows: count() }).from(figures);
  return row?.rows ?? 0;
}

const placeColumns: readonly ReportColumn[] = [...facilityColumns, ...itemColumns];

function placeCells(row: FigureRow): CellValue[] {
  return [row.district ?? "", row.facilityCode, row.facility, row.itemCode, row.item];
}

/** Stock on hand per facility and vaccine: all of it, the usable part, and what expires within 30/60/90 days. */
export const stockOnHandReport: ReportDefinition = {
  right: "stock.read",
  usesPeriod: false,
  filters: ["item"],
  columns: [
    ...placeColumns,
    { key: "stockOnHand", kind: "integer" },
    { key: "usableStock", kind: "integer" },
    { key: "expiring30Doses", kind: "integer" },
    { key: "expiring60Doses", kind: "integer" },
    { key: "expiring90Doses", kind: "integer" },
  ],
  countRows: countStockRows,
  readPage: (db, options, cursor, limit) =>
    readStockPage(db, options, cursor, limit, (row) => [
      ...placeCells(row),
      Number(row.stockOnHand),
      Number(row.usableStock),
      Number(row.expiring30Doses),
      Number(row.expiring60Doses),
      Number(row.expiring90Doses),
    ]),
};

/**
 * Stock status per facility and vaccine (stock-out / below minimum / normal / above maximum, or
 * unknown without consumption), with what to order — the stock summary's suggested quantity,
 * in whole vials — or the excess over the maximum.
 */
export const stockStatusReport: ReportDefinition = {
  right: "stock.read",
  usesPeriod: false,
  filters: ["item"],
  columns: [
    ...placeColumns,
    { key: "usableStock", kind: "integer" },
    { key: "averageMonthlyConsumption", kind: "integer" },
    { key: "monthsOfStock", kind: "decimal" },
    { key: "minMonths", kind: "decimal" },
    { key: "maxMonths", kind: "decimal" },
    { key: "stockStatus", kind: "code" },
    { key: "suggestedDoses", kind: "integer" },
    { key: "excessDoses", kind: "integer" },
  ],
  countRows: countStockRows,
  readPage: (db, options, cursor, limit) =>
    readStockPage(db, options, cursor, limit, (row) => {
      const usable = Number(row.usableStock);
      const amc = Number(row.averageMonthlyConsumption);
      const level = { minMonths: Number(row.minMonths), maxMonths: Number(row.maxMonths) };
      const suggested =
        row.status === "stock_out" || row.status === "below_min"
          ? suggestedOrderDoses({ stockOnHand: usable, amc, level, dosesPerVial: row.dosesPerVial })
          : 0;
      const excess = row.status === "above_max" ? Math.max(0, Math.floor(usable - level.maxMonths * amc)) : 0;
      return [
        ...placeCells(row),
        usable,
        amc,
        amc > 0 ? Math.round((usable / amc) * 10) / 10 : null,
        level.minMonths,
        level.maxMonths,
        row.status,
        suggested,
        excess,
      ];
    }),
};
