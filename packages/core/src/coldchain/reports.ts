import { alarms, equipment, orgUnits } from "@rantai/db";
import { and, asc, count, eq, gt, gte, inArray, like, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { subtreePattern } from "../kernel/authorization/scope";
import { keysetPage, type SortCursor } from "../kernel/pagination";
import { periodBounds, type ReportDefinition, type ReportReadOptions } from "../kernel/report-definition";

/**
 * Temperature excursions per fridge over a period: every piece of cold-chain equipment under a
 * unit's scope (a fridge with none is in the report too, with zeros), with the heat, freeze and
 * excursion alarms that started in the period — retracted ones do not count — their time out of
 * range, the extremes and the heat exposure above +8 °C.
 */

const excursionTypes = ["heat", "freeze", "excursion"] as const;

function equipmentInScope({ scope }: ReportReadOptions) {
  return and(
    like(orgUnits.path, subtreePattern(scope.path)),
    eq(orgUnits.active, true),
    ne(equipment.status, "decommissioned"),
  );
}

export const temperatureExcursionsReport: ReportDefinition = {
  right: "coldchain.read",
  usesPeriod: true,
  columns: [
    { key: "district", kind: "text" },
    { key: "facilityCode", kind: "text" },
    { key: "facility", kind: "text" },
    { key: "fridge", kind: "text" },
    { key: "heatExcursions", kind: "integer" },
    { key: "freezeExcursions", kind: "integer" },
    { key: "minutesOutOfRange", kind: "integer" },
    { key: "highestC", kind: "decimal" },
    { key: "lowestC", kind: "decimal" },
    { key: "heatExposureDegreeHours", kind: "decimal" },
  ],

  async countRows(db, options) {
    const [row] = await db
      .select({ rows: count() })
      .from(equipment)
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .where(equipmentInScope(options));
    return row?.rows ?? 0;
  },

  async readPage(db, options, cursor, limit) {
    const { start, end } = periodBounds(options.parameters, options.now);
    const district = alias(orgUnits, "district");
    const inPeriod = and(
      eq(alarms.equipmentId, equipment.id),
      inArray(alarms.type, [...excursionTypes]),
      ne(alarms.status, "retracted"),
      gte(alarms.startedAt, start),
      lt(alarms.startedAt, end),
    );
    const rows = await db
      .select({
        equipmentId: equipment.id,
        district: district.name,
        facilityCode: orgUnits.code,
        facility: orgUnits.name,
        fridge: equipment.name,
        heatExcursions: sql<string>`COUNT(CASE WHEN ${alarms.type} IN ('heat', 'excursion') THEN 1 END)`,
        freezeExcursions: sql<string>`COUNT(CASE WHEN ${alarms.type} = 'freeze' THEN 1 END)`,
        secondsOutOfRange: sql<string>`COALESCE(SUM(${alarms.durationSeconds}), 0)`,
        peakCentiC: sql<number | null>`MAX(${alarms.peakCentiC})`,
        minCentiC: sql<number | null>`MIN(${alarms.minCentiC})`,
        heatExposure: sql<string>`COALESCE(SUM(${alarms.heatExposureCentiDegreeHours}), 0)`,
      })
      .from(equipment)
      .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
      .leftJoin(district, eq(district.id, orgUnits.parentId))
      .leftJoin(alarms, inPeriod)
      .where(and(equipmentInScope(options), cursor ? gt(equipment.id, Number(cursor.id)) : undefined))
      .groupBy(equipment.id, district.name, orgUnits.code, orgUnits.name, equipment.name)
      .orderBy(asc(equipment.id))
      .limit(limit + 1);
    const page = keysetPage(rows, limit, (row): SortCursor => ({ key: 0, id: row.equipmentId }));
    return {
      nextCursor: page.nextCursor,
      rows: page.items.map((row) => [
        row.district ?? "",
        row.facilityCode,
        row.facility,
        row.fridge,
        Number(row.heatExcursions),
        Number(row.freezeExcursions),
        Math.round(Number(row.secondsOutOfRange) / 60),
        row.peakCentiC === null ? null : Number(row.peakCentiC) / 100,
        row.minCentiC === null ? null : Number(row.minCentiC) / 100,
        Number(row.heatExposure) / 100,
      ]),
    };
  },
};
