import { type Executor, type OrgUnit, orgUnits } from "@rantai/db";
import { type AnyColumn, and, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { findProvinceTimeZone, nationalTimeZone, type ProvinceTimeZone } from "./time-zones";

/**
 * A unit's province, found from its materialized path: the province is the unit at depth 1, so
 * its path is the first two segments of the unit's own ("/1/2/9/40/" → "/1/2/"). One indexed
 * lookup per row, no walk up the tree.
 */
export const provinceUnits = alias(orgUnits, "province_unit");

/** Join condition: `provinceUnits` is the province above (or at) the unit whose path is `unitPath`. */
export function provinceOfPath(unitPath: AnyColumn | SQL): SQL | undefined {
  return and(
    eq(provinceUnits.level, "province"),
    eq(provinceUnits.path, sql<string>`concat(substring_index(${unitPath}, '/', 3), '/')`),
  );
}

/** The zone a unit's times are shown in, from its province's code; the capital's when it has none (national). */
export function timeZoneOfProvince(provinceCode: OrgUnit["code"] | null): ProvinceTimeZone {
  return (provinceCode === null ? null : findProvinceTimeZone(provinceCode)) ?? nationalTimeZone;
}

/** The zone of the unit whose materialized path is given, from its province: one indexed lookup. */
export async function findTimeZoneOfPath(db: Executor, unitPath: string): Promise<ProvinceTimeZone> {
  const [province] = await db
    .select({ code: provinceUnits.code })
    .from(provinceUnits)
    .where(provinceOfPath(sql`${unitPath}`))
    .limit(1);
  return timeZoneOfProvince(province?.code ?? null);
}
