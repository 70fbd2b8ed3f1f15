import { type Executor, items, type OrgUnit } from "@rantai/db";
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type ColdChainStatus, coldChainStatusRank, facilityFridgeStates } from "../coldchain/scope-figures";
import {
  afterSortCursor,
  keysetPage,
  type SortCursor,
  type SortDirection,
  sortOrder,
  ZSortCursorSchema,
} from "../kernel/pagination";
import { ZIdSchema } from "../kernel/schemas";
import type { StockStatus } from "../stock/indicators";
import { facilityItemMonthsOfStock, facilityItemStockFigures, stockStatusRank } from "../stock/scope-figures";
import { facilityFigures, facilityFilterSql, facilityFilters } from "./facility-figures";

export const facilitySorts = ["name", "stock_status", "months_of_stock", "cold_chain_status", "last_sync"] as const;
export type FacilitySort = (typeof facilitySorts)[number];

export const ZListFacilityFiguresSchema = z
  .strictObject({
    /** A unit in the caller's scope (a district narrows the table to it); defaults to the caller's own. */
    orgUnitId: ZIdSchema.optional(),
    /** Part of the facility's name or code. */
    search: z.string().trim().min(1).max(100).optional(),
    /** Only facilities behind one of the overview's figures. */
    status: z.enum(facilityFilters).optional(),
    sort: z.enum(facilitySorts).default("name"),
    direction: z.enum(["asc", "desc"]).default("asc"),
    /** The antigen whose months of stock `sort: "months_of_stock"` orders by. */
    itemId: ZIdSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
    /** `nextCursor` of the previous page, asked with the same sort, direction and filters. */
    cursor: ZSortCursorSchema.optional(),
  })
  .refine((input) => input.sort !== "months_of_stock" || input.itemId !== undefined, {
    error: "Sorting by months_of_stock needs itemId: the antigen whose months of stock to sort by.",
    path: ["itemId"],
  })
  .refine((input) => !input.cursor || typeof input.cursor.key === (input.sort === "name" ? "string" : "number"), {
    error: "This cursor belongs to another sort; start again from the first page.",
    path: ["cursor"],
  });
export type TListFacilityFigures = z.infer<typeof ZListFacilityFiguresSchema>;

const stockStatusOfRank = new Map(Object.entries(stockStatusRank).map(([status, rank]) => [rank, status])) as Map<
  number,
  StockStatus | "none"
>;
const coldChainStatusOfRank = new Map<number, ColdChainStatus>(
  Object.entries(coldChainStatusRank).map(([status, rank]) => [rank, status as ColdChainStatus]),
);

/** A DATETIME(3) read through raw SQL (Drizzle reads them as UTC text) as a Date. */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(" ", "T")}Z`);
}
const asNumber = (value: SQL | SQL.Aliased) => sql<number>`${value}`.mapWith(Number);
const asDate = (value: SQL | SQL.Aliased) => sql<Date | null>`${value}`.mapWith(toDate);

/** Rows with no value (no consumption, never synced) sort last in either direction. */
const lastAscending = Number.MAX_SAFE_INTEGER;
const lastDescending = -1;

/** LIKE pattern matching a text anywhere, its own wildcards escaped. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/**
 * The facility table: every facility under a scope with its stock status (worst antigen first,
 * and each antigen's months of stock against its min/max), its cold-chain status and last sync;
 * searched, filtered (as the overview's figures), sorted and paged by keyset in SQL, so a page of
 * 10,000 facilities costs what a page of ten does. `total` (first page only) counts every match.
 */
export async function listFacilityFigures(db: Executor, scope: OrgUnit, input: TListFacilityFigures, now = new Date()) {
  const figures = facilityFigures(db, scope, now);
  const direction: SortDirection = input.direction;
  const nullsLast = direction === "asc" ? lastAscending : lastDescending;
  const antigen =
    input.sort === "months_of_stock" && input.itemId !== undefined
      ? facilityItemMonthsOfStock(db, scope.path, now, input.itemId)
      : undefined;
  const sortKeys: Record<FacilitySort, SQL> = {
    name: sql`${figures.name}`,
    stock_status: sql`${figures.stockStatusRank}`,
    months_of_stock: antigen ? sql`COALESCE(${antigen.monthsOfStockE4}, ${nullsLast})` : sql`${nullsLast}`,
    cold_chain_status: sql`${figures.coldChainStatusRank}`,
    last_sync: sql`COALESCE(TIMESTAMPDIFF(MICROSECOND, '1970-01-01', ${figures.lastSyncAt}) DIV 1000, ${nullsLast})`,
  };
  const key = sortKeys[input.sort];
  const id = sql`${figures.facilityId}`;
  const filters = and(
    input.status ? facilityFilterSql(figures, input.status) : undefined,
    input.search
      ? sql`(${figures.name} LIKE ${containing(input.search)} OR ${figures.code} LIKE ${containing(input.search)})`
      : undefined,
  );

  // First the page's ids, sorted and filtered over the whole scope: only the figures the sort and
  // the filters name are computed for every facility. Then every figure of the page's rows alone.
  const base = db
    .select({
      id: asNumber(figures.facilityId),
      sortKey: sql<string | number>`${key}`,
      /** Rows matching the filters (after the cursor, so read on the first page only), before the limit. */
      matching: sql<number>`COUNT(*) OVER ()`.mapWith(Number),
    })
    .from(figures)
    .$dynamic();
  const joined = antigen ? base.leftJoin(antigen, eq(antigen.facilityId, figures.facilityId)) : base;
  const keys = await joined
    .where(and(filters, input.cursor ? afterSortCursor(key, id, input.cursor, direction) : undefined))
    .orderBy(...sortOrder(key, id, direction))
    .limit(input.limit + 1);
  const keyPage = keysetPage(
    keys,
    input.limit,
    (row): SortCursor => ({ key: input.sort === "name" ? String(row.sortKey) : Number(row.sortKey), id: row.id }),
  );
  const pageIds = keyPage.items.map((row) => row.id);
  const [details, itemRows, lastReadings] = await Promise.all([
    findFacilityRows(db, scope, pageIds, now),
    findFacilityItemFigures(db, scope.path, pageIds, now),
    findLastReadings(db, scope.path, pageIds, now),
  ]);
  const page = {
    nextCursor: keyPage.nextCursor,
    items: keyPage.items.flatMap((row) => {
      const detail = details.get(row.id);
      return detail ? [detail] : [];
    }),
  };
  const total = input.cursor ? null : (keys[0]?.matching ?? 0);
  return {
    items: page.items.map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      district: row.parentId === null ? null : { id: Number(row.parentId), name: row.parentName },
      stock: {
        status: stockStatusOfRank.get(row.stockStatusRank) ?? "none",
        vaccines: row.vaccines,
        stockOutItems: row.stockOutItems,
        belowMinItems: row.belowMinItems,
        aboveMaxItems: row.aboveMaxItems,
        expiringDoses: {
          within30Days: row.expiring30Doses,
          within60Days: row.expiring60Doses,
          within90Days: row.expiring90Doses,
        },
        items: itemRows.get(row.id) ?? [],
      },
      coldchain: {
        status: coldChainStatusOfRank.get(row.coldChainStatusRank) ?? "none",
        fridges: row.fridges,
        inAlarm: row.fridgesInAlarm,
        offline: row.fridgesOffline,
        silent: row.fridgesSilent,
        lastReadingAt: lastReadings.get(row.id) ?? null,
      },
      threateningAlarms: row.threateningAlarms,
      lastSyncAt: row.lastSyncAt,
    })),
    nextCursor: page.nextCursor,
    total,
  };
}

/** Every figure of some facilities of the scope (a page of the table), by id. */
async function findFacilityRows(db: Executor, scope: OrgUnit, facilityIds: readonly number[], now: Date) {
  if (facilityIds.length === 0) return new Map<number, never>();
  const figures = facilityFigures(db, scope, now, { facilityIds });
  const rows = await db
    .select({
      id: asNumber(figures.facilityId),
      code: sql<string>`${figures.code}`,
      name: sql<string>`${figures.name}`,
      parentId: sql<number | null>`${figures.parentId}`,
      parentName: sql<string | null>`${figures.parentName}`,
      vaccines: asNumber(figures.vaccines),
      stockOutItems: asNumber(figures.stockOutItems),
      belowMinItems: asNumber(figures.belowMinItems),
      aboveMaxItems: asNumber(figures.aboveMaxItems),
      expiring30Doses: asNumber(figures.expiring30Doses),
      expiring60Doses: asNumber(figures.expiring60Doses),
      expiring90Doses: asNumber(figures.expiring90Doses),
      stockStatusRank: asNumber(figures.stockStatusRank),
      fridges: asNumber(figures.fridges),
      fridgesInAlarm: asNumber(figures.fridgesInAlarm),
      fridgesOffline: asNumber(figures.fridgesOffline),
      fridgesSilent: asNumber(figures.fridgesSilent),
      coldChainStatusRank: asNumber(figures.coldChainStatusRank),
      threateningAlarms: asNumber(figures.threateningAlarms),
      lastSyncAt: asDate(figures.lastSyncAt),
    })
    .from(figures);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The latest reading of each facility's fridges, live for the page's rows alone: it moves with
 * every reading, so the cold-chain summary does not keep it.
 */
async function findLastReadings(db: Executor, scopePath: string, facilityIds: readonly number[], now: Date) {
  if (facilityIds.length === 0) return new Map<number, Date | null>();
  const states = facilityFridgeStates(db, scopePath, now, { facilityIds });
  const rows = await db
    .select({ facilityId: asNumber(states.facilityId), lastReadingAt: asDate(states.lastReadingAt) })
    .from(states);
  return new Map(rows.map((row) => [row.facilityId, row.lastReadingAt]));
}

/** Each facility's vaccines with months of stock and status against its min/max, in item code order. */
async function findFacilityItemFigures(db: Executor, scopePath: string, facilityIds: readonly number[], now: Date) {
  const byFacility = new Map<number, FacilityItemFigure[]>();
  if (facilityIds.length === 0) return byFacility;
  const perItem = facilityItemStockFigures(db, scopePath, now, { facilityIds });
  const rows = await db
    .select({
      facilityId: asNumber(perItem.facilityId),
      itemId: items.id,
      code: items.code,
      name: items.name,
      stockOnHand: asNumber(perItem.stockOnHand),
      usableStock: asNumber(perItem.usableStock),
      averageMonthlyConsumption: asNumber(perItem.averageMonthlyConsumption),
      monthsOfStockE4: sql<number | null>`${perItem.monthsOfStockE4}`.mapWith(Number),
      minMonths: asNumber(perItem.minMonths),
      maxMonths: asNumber(perItem.maxMonths),
      status: sql<StockStatus>`${perItem.status}`,
    })
    .from(perItem)
    .innerJoin(items, eq(items.id, perItem.itemId))
    .orderBy(asc(items.code));
  for (const { facilityId, monthsOfStockE4, ...row } of rows) {
    const list = byFacility.get(facilityId) ?? [];
    list.push({ ...row, monthsOfStock: monthsOfStockE4 === null ? null : Math.round(monthsOfStockE4 / 100) / 100 });
    byFacility.set(facilityId, list);
  }
  return byFacility;
}

export interface FacilityItemFigure {
  itemId: number;
  code: string;
  name: string;
  stockOnHand: number;
  usableStock: number;
  averageMonthlyConsumption: number;
  /** Usable stock ÷ AMC, to two decimals; null with no consumption to measure against. */
  monthsOfStock: number | null;
  minMonths: number;
  maxMonths: number;
  status: StockStatus;
}
