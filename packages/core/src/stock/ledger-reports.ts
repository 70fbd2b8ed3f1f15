import { type Executor, items, orgUnits, stockBalances, stockLedger, stockLevels } from "@rantai/db";
import { and, countDistinct, eq, gte, inArray, like, lt, type SQL, sql } from "drizzle-orm";
import { type AnyMySqlColumn, alias } from "drizzle-orm/mysql-core";
import { subtreePattern } from "../kernel/authorization/scope";
import {
  facilityColumns,
  itemColumns,
  periodBounds,
  periodDays,
  type ReportDefinition,
  type ReportReadOptions,
} from "../kernel/report-definition";
import { rowsOf } from "./check-ledger";
import { reversalAwareColumns } from "./consumption";
import { defaultGrouping, type PageUnit, readUnitItemPage } from "./unit-item-pages";

/**
 * The stock reports read from the ledger over a period: consumption and wastage per vaccine and
 * area, and stock-out days per facility and vaccine. Both count the puskesmas (where vaccine is
 * given and where a stock-out leaves children unvaccinated), a page of units at a time.
 */

type Grouping = "facility" | "district";

/**
 * The facilities of each unit of a page: a facility row is the facility itself, a district row
 * its puskesmas (the tree puts them directly under it), both joined by key, not by path pattern.
 */
function facilitiesOf(unitId: AnyMySqlColumn, level: Grouping) {
  return and(
    level === "facility" ? eq(orgUnits.id, unitId) : eq(orgUnits.parentId, unitId),
    eq(orgUnits.level, "facility"),
    eq(orgUnits.active, true),
  );
}

function itemFilter(options: ReportReadOptions): SQL | undefined {
  return options.parameters.itemId === undefined ? undefined : eq(items.id, options.parameters.itemId);
}

/** The unit × vaccine pairs a page shows: every vaccine a facility of the unit holds or held (a balance row). */
async function heldPairs(db: Executor, options: ReportReadOptions, units: readonly PageUnit[], level: Grouping) {
  const unit = alias(orgUnits, "unit");
  return db
    .selectDistinct({ unitId: unit.id, path: unit.path, itemId: items.id, itemCode: items.code, item: items.name })
    .from(unit)
    .innerJoin(orgUnits, facilitiesOf(unit.id, level))
    .innerJoin(stockBalances, eq(stockBalances.orgUnitId, orgUnits.id))
    .innerJoin(items, and(eq(items.id, stockBalances.itemId), eq(items.kind, "vaccine")))
    .where(
      and(
        inArray(
          unit.id,
          units.map((row) => row.id),
        ),
        itemFilter(options),
      ),
    );
}

/** The names a row shows: its district, and for a facility row the facility's code and name. */
async function unitNames(db: Executor, units: readonly PageUnit[], level: Grouping) {
  const district = alias(orgUnits, "district");
  const rows = await db
    .select({ id: orgUnits.id, code: orgUnits.code, name: orgUnits.name, district: district.name })
    .from(orgUnits)
    .leftJoin(district, eq(district.id, orgUnits.parentId))
    .where(
      inArray(
        orgUnits.id,
        units.map((unit) => unit.id),
      ),
    );
  return new Map(
    rows.map((row) => [
      row.id,
      level === "facility"
        ? { district: row.district ?? "", facilityCode: row.code, facility: row.name }
        : { district: row.name, facilityCode: "", facility: "" },
    ]),
  );
}

/** Doses given and wasted per unit and vaccine over the period, reversals counted as what they cancel. */
async function wastageSums(db: Executor, options: ReportReadOptions, units: readonly PageUnit[], level: Grouping) {
  const { start, end } = periodBounds(options.parameters, options.now);
  const unit = alias(orgUnits, "unit");
  const { original, movementType, reason } = reversalAwareColumns();
  const isUsage = sql`${movementType} = 'usage'`;
  const isOpenVialDiscard = sql`${movementType} = 'discard' AND ${reason} = 'open_vial_policy'`;
  const isClosedVialDiscard = sql`${movementType} = 'discard' AND COALESCE(${reason}, '') <> 'open_vial_policy'`;
  return db
    .select({
      unitId: unit.id,
      itemId: stockLedger.itemId,
      administered: sql<string>`COALESCE(SUM(CASE WHEN ${isUsage} THEN ${stockLedger.dosesAdministered} END), 0)`,
      openedForUse: sql<string>`COALESCE(-SUM(CASE WHEN ${isUsage} THEN ${stockLedger.quantity} END), 0)`,
      openVialDiscarded: sql<string>`COALESCE(-SUM(CASE WHEN ${isOpenVialDiscard} THEN ${stockLedger.quantity} END), 0)`,
      closedVialDiscarded: sql<string>`COALESCE(-SUM(CASE WHEN ${isClosedVialDiscard} THEN ${stockLedger.quantity} END), 0)`,
    })
    .from(unit)
    .innerJoin(orgUnits, facilitiesOf(unit.id, level))
    .innerJoin(
      stockLedger,
      and(
        eq(stockLedger.orgUnitId, orgUnits.id),
        gte(stockLedger.occurredAt, start),
        lt(stockLedger.occurredAt, end),
        inArray(stockLedger.movementType, ["usage", "discard", "reversal"]),
      ),
    )
    .leftJoin(original, eq(original.id, stockLedger.reversesEntryId))
    .where(
      and(
        inArray(
          unit.id,
          units.map((row) => row.id),
        ),
        options.parameters.itemId === undefined ? undefined : eq(stockLedger.itemId, options.parameters.itemId),
      ),
    )
    .groupBy(unit.id, stockLedger.itemId);
}

/** Wastage as WHO counts it: doses wasted (opened but not given, and closed vials discarded) over doses used and wasted. */
export function wastageFigures(sums: {
  administered: number;
  openedForUse: number;
  openVialDiscarded: number;
  closedVialDiscarded: number;
}) {
  const opened = sums.openedForUse + sums.openVialDiscarded;
  const openVialWasted = Math.max(0, opened - sums.administered);
  const wasted = openVialWasted + sums.closedVialDiscarded;
  const handled = sums.administered + wasted;
  return {
    openVialWasted,
    closedVialWasted: sums.closedVialDiscarded,
    wasted,
    wastageRatePct: handled > 0 ? Math.round((wasted / handled) * 1000) / 10 : null,
  };
}

async function countHeldPairs(db: Executor, options: ReportReadOptions, level: Grouping) {
  const unitKey = level === "facility" ? orgUnits.id : orgUnits.parentId;
  const [row] = await db
    .select({ rows: countDistinct(sql`${unitKey}, ${items.id}`) })
    .from(orgUnits)
    .innerJoin(stockBalances, eq(stockBalances.orgUnitId, orgUnits.id))
    .innerJoin(items, and(eq(items.id, stockBalances.itemId), eq(items.kind, "vaccine")))
    .where(
      and(
        like(orgUnits.path, subtreePattern(options.scope.path)),
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        itemFilter(options),
      ),
    );
  return Number(row?.rows ?? 0);
}

/**
 * Consumption and wastage per vaccine and area over a period: doses administered, doses wasted
 * in opened vials (opened but not given, including vials discarded under the open-vial policy)
 * and in closed vials (discards for any other reason: expiry, VVM, freezing, breakage), and the
 * wastage rate. A row per facility, or per district below a province or the nation.
 */
export const consumptionWastageReport: ReportDefinition = {
  right: "stock.read",
  usesPeriod: true,
  filters: ["period", "item", "groupBy"],
  columns: [
    ...facilityColumns,
    ...itemColumns,
    { key: "dosesAdministered", kind: "integer" },
    { key: "openVialWastedDoses", kind: "integer" },
    { key: "closedVialWastedDoses", kind: "integer" },
    { key: "wastedDoses", kind: "integer" },
    { key: "wastageRatePct", kind: "decimal" },
  ],
  async countRows(db, options) {
    return countHeldPairs(db, options, await defaultGrouping(db, options));
  },
  async readPage(db, options, cursor, limit) {
    const level = await defaultGrouping(db, options);
    const page = await readUnitItemPage(db, options, level, cursor, limit, async (units) => {
      const [pairs, sums, names] = await Promise.all([
        heldPairs(db, options, units, level),
        wastageSums(db, options, units, level),
        unitNames(db, units, level),
      ]);
      const sumOf = new Map(sums.map((row) => [`${row.unitId}:${row.itemId}`, row]));
      return pairs.map((pair) => {
        const found = sumOf.get(`${pair.unitId}:${pair.itemId}`);
        const administered = Number(found?.administered ?? 0);
        const figures = wastageFigures({
          administered,
          openedForUse: Number(found?.openedForUse ?? 0),
          openVialDiscarded: Number(found?.openVialDiscarded ?? 0),
          closedVialDiscarded: Number(found?.closedVialDiscarded ?? 0),
        });
        const name = names.get(pair.unitId);
        return {
          ...pair,
          cells: [
            name?.district ?? "",
            name?.facilityCode ?? "",
            name?.facility ?? "",
            pair.itemCode,
            pair.item,
            administered,
            figures.openVialWasted,
            figures.closedVialWasted,
            figures.wasted,
            figures.wastageRatePct,
          ],
        };
      });
    });
    return { rows: page.rows.map((row) => row.cells), nextCursor: page.nextCursor };
  },
};

/**
 * Days each facility's usable stock of each vaccine was zero at the end of the day, per WIB day
 * of the period, from the ledger: a lot's doses count from the day they arrive until its expiry
 * date (expired doses cover no one), so the usable balance changes on a movement day and on the
 * day after a lot expires. It is one pass over the page's ledger with window functions, never a
 * facility × day table: 10,000 facilities × 90 days are read a page of facilities at a time.
 * Days before a facility first held the vaccine count only when the facility has a minimum
 * level for it (it is meant to hold it), and only from its first ledger entry of any item (before
 * that it kept no stock book here, so nothing is known); otherwise they are not observed. VVM stages are not
 * kept by day, so a lot past its discard point still counts until it is discarded.
 */
async function stockOutSums(db: Executor, options: ReportReadOptions, facilityIds: readonly number[]) {
  const { firstDay, lastDay } = periodDays(options.parameters, options.now);
  const afterLast = new Date(Date.parse(lastDay) + 86_400_000).toISOString().slice(0, 10);
  const endInstant = new Date(Date.parse(afterLast) - 7 * 3_600_000);
  const ids = sql.join(
    facilityIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const item = options.parameters.itemId;
  const ledgerItem = item === undefined ? sql`` : sql`AND l.item_id = ${item}`;
  const levelItem = item === undefined ? sql`` : sql`AND sl.item_id = ${item}`;
  const days = sql`GREATEST(0, DATEDIFF(LEAST(COALESCE(next_day, ${afterLast}), ${afterLast}), GREATEST(day, ${firstDay})))`;
  const result = await db.execute(sql`
    WITH batch_days AS (
      SELECT l.org_unit_id AS store, l.item_id AS item, l.batch_id AS batch, b.expiry_date AS expiry,
             DATE(DATE_ADD(l.occurred_at, INTERVAL 7 HOUR)) AS day, SUM(l.quantity) AS delta
      FROM stock_ledger l
      JOIN batches b ON b.id = l.batch_id
      JOIN items i ON i.id = l.item_id AND i.kind = 'vaccine'
      WHERE l.org_unit_id IN (${ids}) AND l.occurred_at < ${endInstant} ${ledgerItem}
      GROUP BY l.org_unit_id, l.item_id, l.batch_id, b.expiry_date, day
    ),
    changes AS (
      SELECT store, item, day, delta FROM batch_days WHERE day <= expiry
      UNION ALL
      SELECT store, item, DATE_ADD(expiry, INTERVAL 1 DAY), -SUM(delta) FROM batch_days
      WHERE day <= expiry AND expiry < ${lastDay}
      GROUP BY store, item, batch, expiry
      UNION ALL
      SELECT sl.org_unit_id, sl.item_id,
             GREATEST(CAST(${firstDay} AS DATE), COALESCE(
               (SELECT DATE(DATE_ADD(MIN(f.occurred_at), INTERVAL 7 HOUR)) FROM stock_ledger f
                WHERE f.org_unit_id = sl.org_unit_id),
               CAST(${firstDay} AS DATE))), 0
      FROM stock_levels sl JOIN items i ON i.id = sl.item_id AND i.kind = 'vaccine'
      WHERE sl.org_unit_id IN (${ids}) AND sl.min_months > 0 ${levelItem}
    ),
    day_changes AS (
      SELECT store, item, day, SUM(delta) AS delta FROM changes GROUP BY store, item, day
    ),
    levels AS (
      SELECT store, item, day,
             SUM(delta) OVER (PARTITION BY store, item ORDER BY day) AS level,
             LEAD(day) OVER (PARTITION BY store, item ORDER BY day) AS next_day
      FROM day_changes
    )
    SELECT store, item,
           SUM(CASE WHEN level <= 0 THEN ${days} ELSE 0 END) AS out_days,
           SUM(${days}) AS observed_days
    FROM levels
    GROUP BY store, item`);
  return rowsOf(result).map((row) => ({
    store: Number(row.store),
    item: Number(row.item),
    outDays: Number(row.out_days),
    observedDays: Number(row.observed_days),
  }));
}

/** Facility × vaccine pairs to report: those with a balance row or a minimum level. */
async function stockOutPairs(db: Executor, options: ReportReadOptions, units: readonly PageUnit[]) {
  const ids = units.map((unit) => unit.id);
  const held = db
    .selectDistinct({ unitId: stockBalances.orgUnitId, itemId: stockBalances.itemId })
    .from(stockBalances)
    .where(inArray(stockBalances.orgUnitId, ids));
  const levelled = db
    .select({ unitId: stockLevels.orgUnitId, itemId: stockLevels.itemId })
    .from(stockLevels)
    .where(and(inArray(stockLevels.orgUnitId, ids), sql`${stockLevels.minMonths} > 0`));
  const pairs = await held.union(levelled);
  const itemRows = await db
    .select({ id: items.id, code: items.code, name: items.name })
    .from(items)
    .where(
      and(
        inArray(items.id, [0, ...new Set(pairs.map((pair) => pair.itemId))]),
        eq(items.kind, "vaccine"),
        itemFilter(options),
      ),
    );
  const itemOf = new Map(itemRows.map((row) => [row.id, row]));
  const pathOf = new Map(units.map((unit) => [unit.id, unit.path]));
  return pairs.flatMap((pair) => {
    const found = itemOf.get(pair.itemId);
    const path = pathOf.get(pair.unitId);
    return found && path ? [{ ...pair, path, itemCode: found.code, item: found.name }] : [];
  });
}

export const stockOutDaysReport: ReportDefinition = {
  right: "stock.read",
  usesPeriod: true,
  filters: ["period", "item"],
  columns: [
    ...facilityColumns,
    ...itemColumns,
    { key: "stockOutDays", kind: "integer" },
    { key: "daysObserved", kind: "integer" },
    { key: "periodDays", kind: "integer" },
  ],
  async countRows(db, options) {
    const facility = alias(orgUnits, "facility");
    const inScope = and(
      like(facility.path, subtreePattern(options.scope.path)),
      eq(facility.level, "facility"),
      eq(facility.active, true),
    );
    const held = db
      .selectDistinct({ unitId: stockBalances.orgUnitId, itemId: stockBalances.itemId })
      .from(stockBalances)
      .innerJoin(facility, eq(facility.id, stockBalances.orgUnitId))
      .where(inScope);
    const levelled = db
      .select({ unitId: stockLevels.orgUnitId, itemId: stockLevels.itemId })
      .from(stockLevels)
      .innerJoin(facility, eq(facility.id, stockLevels.orgUnitId))
      .where(and(inScope, sql`${stockLevels.minMonths} > 0`));
    const pairs = held.union(levelled).as("pairs");
    const [row] = await db
      .select({ rows: sql<string>`COUNT(*)` })
      .from(pairs)
      .innerJoin(items, and(eq(items.id, pairs.itemId), eq(items.kind, "vaccine")))
      .where(itemFilter(options));
    return Number(row?.rows ?? 0);
  },
  async readPage(db, options, cursor, limit) {
    const { days: periodLength } = periodDays(options.parameters, options.now);
    const page = await readUnitItemPage(db, options, "facility", cursor, limit, async (units) => {
      const [pairs, sums, names] = await Promise.all([
        stockOutPairs(db, options, units),
        stockOutSums(
          db,
          options,
          units.map((unit) => unit.id),
        ),
        unitNames(db, units, "facility"),
      ]);
      const sumOf = new Map(sums.map((row) => [`${row.store}:${row.item}`, row]));
      return pairs.map((pair) => {
        const found = sumOf.get(`${pair.unitId}:${pair.itemId}`);
        const name = names.get(pair.unitId);
        return {
          ...pair,
          cells: [
            name?.district ?? "",
            name?.facilityCode ?? "",
            name?.facility ?? "",
            pair.itemCode,
            pair.item,
            found?.outDays ?? 0,
            found?.observedDays ?? 0,
            periodLength,
          ],
        };
      });
    });
    return { rows: page.rows.map((row) => row.cells), nextCursor: page.nextCursor };
  },
};
