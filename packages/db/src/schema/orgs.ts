import { boolean, index, mysqlEnum, mysqlTable, tinyint, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { createdAt, id, ref, updatedAt } from "./columns";

export const orgUnitLevels = ["national", "province", "district", "facility"] as const;
export type OrgUnitLevel = (typeof orgUnitLevels)[number];

/**
 * The administrative hierarchy; every unit is also a stock-holding store.
 * `path` is a materialized path of ids ("/1/2/9/"), so "this unit and everything under it"
 * is one indexed prefix scan: `path LIKE '/1/2/%'`.
 */
export const orgUnits = mysqlTable(
  "org_units",
  {
    id: id(),
    parentId: ref(),
    level: mysqlEnum(orgUnitLevels).notNull(),
    /** Kemendagri area code for regions (e.g. "34.04"); facility code for puskesmas. */
    code: varchar({ length: 32 }).notNull(),
    name: varchar({ length: 160 }).notNull(),
    path: varchar({ length: 255 }).notNull(),
    depth: tinyint({ unsigned: true }).notNull(),
    /** Facility type for level = facility (puskesmas, rumah_sakit, klinik); null for regions. */
    facilityType: varchar({ length: 32 }),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("org_units_code_uq").on(t.code),
    index("org_units_path_idx").on(t.path),
    index("org_units_parent_idx").on(t.parentId),
  ],
);

export type OrgUnit = typeof orgUnits.$inferSelect;
