import { batches, items, orgUnits, stockBalances } from "@rantai/db";
import { and, asc, count, eq, gt, like, lt, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { subtreePattern } from "../kernel/authorization/scope";
import { afterSortCursor, keysetPage, type SortCursor } from "../kernel/pagination";
import {
  facilityColumns,
  itemColumns,
  type ReportDefinition,
  type ReportReadOptions,
} from "../kernel/report-definition";
import { daysUntilExpiry, wibDate } from "./batch-usability";

/**
 * Lots held in a unit's scope (every store in it: the district store too) that expire soon or
 * have expired, soonest first, with the doses held, the VVM stage and the days left. Sorted by
 * expiry date, then store and lot: the cursor's key is the date and the store's id (fixed-width,
 * so the text sorts as the pair does), its id the lot.
 */

const windowDays = { within_30: 30, within_60: 60, within_90: 90 } as const;

function heldInWindow({ scope, parameters, now }: ReportReadOptions) {
  const today = wibDate(now);
  const window = parameters.expiry ?? "within_90";
  const expiryCondition =
    window === "expired"
      ? lt(batches.expiryDate, today)
      : lte(
          batches.expiryDate,
          new Date(Date.parse(today) + windowDays[window] * 86_400_000).toISOString().slice(0, 10),
        );
  return and(
    like(orgUnits.path, subtreePattern(scope.path)),
    eq(orgUnits.active, true),
    gt(stockBalances.quantity, 0),
    expiryCondition,
    parameters.itemId === undefined ? undefined : eq(stockBalances.itemId, parameters.itemId),
  );
}

const sortKey = sql<string>`CONCAT(${batches.expiryDate}, ':', LPAD(${stockBalances.orgUnitId}, 10, '0'))`;

export const expiryReport: ReportDefinition = {
  right: "stock.read",
  usesPeriod: false,
  filters: ["expiry", "item"],
  columns: [
    ...facilityColumns,
    ...itemColumns,
    { key: "lotNumber", kind: "text" },
    { key: "expiryDate", kind: "date" },
    { key: "daysLeft", kind: "integer" },
    { key: "quantityDoses", kind: "integer" },
    { key: "vvmStage", kind: "integer" },
  ],
  async countRows(db, options) {
    const [row] = await db
      .select({ rows: count() })
      .from(stockBalances)
      .innerJoin(orgUnits, eq(orgUnits.id, stockBalances.orgUnitId))
      .innerJoin(batches, eq(batches.id, stockBalances.batchId))
      .where(heldInWindow(options));
    return row?.rows ?? 0;
  },
  async readPage(db, options, cursor, limit) {
    const parent = alias(orgUnits, "parent");
    const rows = await db
      .select({
        sortKey,
        batchId: stockBalances.batchId,
        level: orgUnits.level,
        parent: parent.name,
        code: orgUnits.code,
        name: orgUnits.name,
        itemCode: items.code,
        item: items.name,
        lotNumber: batches.lotNumber,
        expiryDate: batches.expiryDate,
        quantity: stockBalances.quantity,
        vvmStage: stockBalances.vvmStage,
      })
      .from(stockBalances)
      .innerJoin(orgUnits, eq(orgUnits.id, stockBalances.orgUnitId))
      .leftJoin(parent, eq(parent.id, orgUnits.parentId))
      .innerJoin(batches, eq(batches.id, stockBalances.batchId))
      .innerJoin(items, eq(items.id, stockBalances.itemId))
      .where(
        and(
          heldInWindow(options),
          cursor ? afterSortCursor(sortKey, sql`${stockBalances.batchId}`, cursor, "asc") : undefined,
        ),
      )
      .orderBy(asc(batches.expiryDate), asc(stockBalances.orgUnitId), asc(stockBalances.batchId))
      .limit(limit + 1);
    const page = keysetPage(rows, limit, (row): SortCursor => ({ key: row.sortKey, id: row.batchId }));
    return {
      nextCursor: page.nextCursor,
      rows: page.items.map((row) => [
        // A district store is its own district; a puskesmas lies in its parent's.
        row.level === "district" ? row.name : (row.parent ?? ""),
        row.code,
        row.name,
        row.itemCode,
        row.item,
        row.lotNumber,
        row.expiryDate,
        daysUntilExpiry(row.expiryDate, options.now),
        row.quantity,
        row.vvmStage,
      ]),
    };
  },
};
