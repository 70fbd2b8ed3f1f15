import { type Executor, orgUnits } from "@rantai/db";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { authorize } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { provinceOfPath, provinceUnits, timeZoneOfProvince } from "./province";

const districtUnits = alias(orgUnits, "district_unit");

async function findFacilityRow(db: Executor, facilityId: number) {
  const [row] = await db
    .select({
      unit: orgUnits,
      districtId: districtUnits.id,
      districtName: districtUnits.name,
      provinceId: provinceUnits.id,
      provinceName: provinceUnits.name,
      provinceCode: provinceUnits.code,
    })
    .from(orgUnits)
    .leftJoin(districtUnits, eq(districtUnits.id, orgUnits.parentId))
    .leftJoin(provinceUnits, provinceOfPath(orgUnits.path))
    .where(eq(orgUnits.id, facilityId))
    .limit(1);
  return row;
}

/**
 * A facility the actor may read (`orgs.read`), or FORBIDDEN (audited). A district, a province, an
 * inactive unit or an id that does not exist is refused exactly like a facility out of scope, so
 * the facility page of another district is indistinguishable from a random id.
 */
export async function requireFacilityInScope(request: DomainContext<Executor>, facilityId: number, action: string) {
  const row = await findFacilityRow(request.db, facilityId);
  const entity = { entityType: "org_unit", entityId: facilityId };
  return authorize(request, "orgs.read", action, entity, row, (found) =>
    found.unit.active && found.unit.level === "facility" ? [found.unit.path] : [],
  );
}
export type FacilityInScope = Awaited<ReturnType<typeof requireFacilityInScope>>;

/** The facility page's heading: where the facility lies and the clock its times are shown on. */
export function toFacilityDetail(row: FacilityInScope) {
  const zone = timeZoneOfProvince(row.provinceCode);
  return {
    id: row.unit.id,
    code: row.unit.code,
    name: row.unit.name,
    facilityType: row.unit.facilityType,
    district: row.districtId === null ? null : { id: row.districtId, name: row.districtName ?? "" },
    province: row.provinceId === null ? null : { id: row.provinceId, name: row.provinceName ?? "" },
    timeZone: zone.timeZone,
    timeZoneAbbreviation: zone.abbreviation,
  };
}
export type FacilityDetail = ReturnType<typeof toFacilityDetail>;
