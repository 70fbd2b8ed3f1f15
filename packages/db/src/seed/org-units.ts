import { asc, inArray, sql } from "drizzle-orm";
import { getDistricts, getProvinces, getRegencies } from "idn-area-data";
import type { Database, Executor } from "../client";
import { type OrgUnitLevel, orgUnits, supplyLinks } from "../schema";
import { chunk } from "./concurrency";

export const NATIONAL_CODE = "ID";
export const NATIONAL_NAME = "Kementerian Kesehatan RI";
/** Daerah Istimewa Yogyakarta: small enough to seed complete, large enough to look real. */
export const DEMO_PROVINCE_CODE = "34";

export interface OrgUnitSpec {
  code: string;
  name: string;
  level: OrgUnitLevel;
  parentCode: string | null;
  facilityType: string | null;
}

export interface SeededOrgUnit {
  id: number;
  code: string;
  name: string;
  level: OrgUnitLevel;
  parentId: number | null;
  path: string;
  depth: number;
}

const depthOf: Record<OrgUnitLevel, number> = { national: 0, province: 1, district: 2, facility: 3 };

/** "34.04.07" (kecamatan Depok, Sleman) → "P340407": one puskesmas per kecamatan. */
export function puskesmasCode(kecamatanCode: string): string {
  return `P${kecamatanCode.replaceAll(".", "")}`;
}

/**
 * The national store, the demo province, its kabupaten/kota and one puskesmas per kecamatan,
 * parents before children. Names and codes are Kemendagri's, from the MIT-licensed
 * `idn-area-data` package, so nothing here is typed in by hand.
 */
export async function buildOrgUnitSpecs(provinceCode = DEMO_PROVINCE_CODE): Promise<OrgUnitSpec[]> {
  const [provinces, regencies, districts] = await Promise.all([getProvinces(), getRegencies(), getDistricts()]);
  const province = provinces.find((row) => row.code === provinceCode);
  if (!province) throw new Error(`idn-area-data has no province ${provinceCode}`);
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
  const ownRegencies = regencies.filter((row) => row.province_code === provinceCode).sort(byCode);
  const regencyCodes = new Set(ownRegencies.map((row) => row.code));
  const kecamatan = districts.filter((row) => regencyCodes.has(row.regency_code)).sort(byCode);

  return [
    { code: NATIONAL_CODE, name: NATIONAL_NAME, level: "national", parentCode: null, facilityType: null },
    { code: province.code, name: province.name, level: "province", parentCode: NATIONAL_CODE, facilityType: null },
    ...ownRegencies.map(
      (row): OrgUnitSpec => ({
        code: row.code,
        name: row.name,
        level: "district",
        parentCode: province.code,
        facilityType: null,
      }),
    ),
    ...kecamatan.map(
      (row): OrgUnitSpec => ({
        code: puskesmasCode(row.code),
        name: `Puskesmas ${row.name}`,
        level: "facility",
        parentCode: row.regency_code,
        facilityType: "puskesmas",
      }),
    ),
  ];
}

async function readByCodes(executor: Executor, codes: string[]): Promise<Map<string, SeededOrgUnit>> {
  const found = new Map<string, SeededOrgUnit>();
  for (const part of chunk(codes, CODES_PER_STATEMENT)) {
    const rows = await executor
      .select({
        id: orgUnits.id,
        code: orgUnits.code,
        name: orgUnits.name,
        level: orgUnits.level,
        parentId: orgUnits.parentId,
        path: orgUnits.path,
        depth: orgUnits.depth,
      })
      .from(orgUnits)
      .where(inArray(orgUnits.code, part))
      .orderBy(asc(orgUnits.id));
    for (const row of rows) found.set(row.code, row);
  }
  return found;
}

/** Rows per statement: a national tree has 10,000 puskesmas, MySQL 65,535 placeholders. */
const CODES_PER_STATEMENT = 1000;

/**
 * Upserts the tree level by level (a child needs its parent's id), then sets each level's
 * materialized paths from the real ids in one statement (the parent's path plus the unit's own
 * id). Existing units are left as they are: an operator may have renamed one.
 */
export async function seedOrgUnits(db: Database, specs: OrgUnitSpec[]): Promise<Map<string, SeededOrgUnit>> {
  return db.transaction(async (tx) => {
    const seeded = new Map<string, SeededOrgUnit>();
    for (const level of ["national", "province", "district", "facility"] as const) {
      const specsAtLevel = specs.filter((spec) => spec.level === level);
      if (specsAtLevel.length === 0) continue;
      const rows = specsAtLevel.map((spec) => {
        const parent = spec.parentCode === null ? undefined : seeded.get(spec.parentCode);
        if (spec.parentCode !== null && !parent) throw new Error(`${spec.code}: parent ${spec.parentCode} missing`);
        return {
          code: spec.code,
          name: spec.name,
          level: spec.level,
          parentId: parent?.id ?? null,
          // Placeholder until the row has an id; set below in the same transaction.
          path: "",
          depth: depthOf[spec.level],
          facilityType: spec.facilityType,
        };
      });
      for (const part of chunk(rows, CODES_PER_STATEMENT)) {
        await tx
          .insert(orgUnits)
          .values(part)
          .onDuplicateKeyUpdate({ set: { id: sql`id`, updatedAt: sql`updated_at` } });
      }
      const codes = specsAtLevel.map((spec) => spec.code);
      for (const part of chunk(codes, CODES_PER_STATEMENT)) {
        const inPart = sql.join(
          part.map((code) => sql`${code}`),
          sql`, `,
        );
        // A join, not a subquery on the updated table (which MySQL refuses).
        await tx.execute(
          level === "national"
            ? sql`UPDATE ${orgUnits} SET path = CONCAT('/', id, '/') WHERE code IN (${inPart}) AND path <> CONCAT('/', id, '/')`
            : sql`UPDATE ${orgUnits} c JOIN ${orgUnits} p ON p.id = c.parent_id
                SET c.path = CONCAT(p.path, c.id, '/')
                WHERE c.code IN (${inPart}) AND c.path <> CONCAT(p.path, c.id, '/')`,
        );
      }
      for (const unit of (await readByCodes(tx, codes)).values()) seeded.set(unit.code, unit);
    }
    await seedSupplyLinks(tx, specs, seeded);
    return seeded;
  });
}

/** By default a store supplies its children: one link per parent → child edge of the tree. */
async function seedSupplyLinks(tx: Executor, specs: OrgUnitSpec[], seeded: Map<string, SeededOrgUnit>) {
  const links = specs.flatMap((spec) => {
    const supplier = spec.parentCode === null ? undefined : seeded.get(spec.parentCode);
    const receiver = seeded.get(spec.code);
    return supplier && receiver ? [{ supplierOrgUnitId: supplier.id, receiverOrgUnitId: receiver.id }] : [];
  });
  for (const part of chunk(links, CODES_PER_STATEMENT)) {
    await tx
      .insert(supplyLinks)
      .values(part)
      .onDuplicateKeyUpdate({ set: { supplierOrgUnitId: sql`supplier_org_unit_id` } });
  }
}
