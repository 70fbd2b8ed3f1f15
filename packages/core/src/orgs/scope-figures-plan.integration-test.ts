import {
  alarms,
  batches,
  type Database,
  equipment,
  items,
  orgUnits,
  sensorStates,
  sensors,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
} from "@rantai/db";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facilityFigures } from "./facility-figures";
import { listFacilityFigures } from "./facility-table";
import { getOverview } from "./overview";

/**
 * The query plans of the overview and the facility table on a country-sized scope: 38 provinces,
 * 514 districts, 10,000 facilities with five vaccines in two lots each, a fridge with a sensor
 * each, a ledger and live alarms. Every table but the scope's own org units must be reached
 * through an index: a full scan of balances, ledger, sensors or alarms per request would not
 * stay fast. (Timings are the benchmark's business, not this test's.)
 */
const PROVINCES = 38;
const DISTRICTS = 514;
const FACILITIES = 10_000;
const VACCINES = 5;

let database: TestDatabase;
let db: Database;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 2000) await insert(rows.slice(start, start + 2000));
}

beforeAll(async () => {
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "scope_plan");
  db = database.db;
  // Ids fixed up front, so paths are known without reading rows back.
  const units: (typeof orgUnits.$inferInsert)[] = [
    { id: 1, parentId: null, level: "national", code: "N", name: "Indonesia", path: "/1/", depth: 0 },
  ];
  const provinceIds = Array.from({ length: PROVINCES }, (_, index) => 2 + index);
  for (const id of provinceIds) {
    units.push({
      id,
      parentId: 1,
      level: "province",
      code: `P${id}`,
      name: `Provinsi ${id}`,
      path: `/1/${id}/`,
      depth: 1,
    });
  }
  const districtIds = Array.from({ length: DISTRICTS }, (_, index) => 2 + PROVINCES + index);
  districtIds.forEach((id, index) => {
    const province = provinceIds[index % PROVINCES] ?? 2;
    units.push({
      id,
      parentId: province,
      level: "district",
      code: `D${id}`,
      name: `Kab ${id}`,
      path: `/1/${province}/${id}/`,
      depth: 2,
    });
  });
  const firstFacility = 2 + PROVINCES + DISTRICTS;
  const facilityIds = Array.from({ length: FACILITIES }, (_, index) => firstFacility + index);
  facilityIds.forEach((id, index) => {
    const district = units[1 + PROVINCES + (index % DISTRICTS)];
    units.push({
      id,
      parentId: district?.id ?? 0,
      level: "facility",
      code: `F${id}`,
      name: `Puskesmas ${id}`,
      path: `${district?.path}${id}/`,
      depth: 3,
      facilityType: "puskesmas",
    });
  });
  await insertInChunks(units, (chunk) => db.insert(orgUnits).values(chunk));

  const itemIds = Array.from({ length: VACCINES }, (_, index) => index + 1);
  await db.insert(items).values(
    itemIds.map((id) => ({
      id,
      code: `V${id}`,
      name: `Vaccine ${id}`,
      kind: "vaccine" as const,
      dosesPerVial: 10,
      freezeSensitive: id % 2 === 0,
      vvmType: "VVM14" as const,
      openVialPolicy: "keep_28_days" as const,
    })),
  );
  const batchIds = itemIds.flatMap((itemId) => [itemId * 2 - 1, itemId * 2]);
  await db.insert(batches).values(
    batchIds.map((id) => ({
      id,
      itemId: Math.ceil(id / 2),
      lotNumber: `L${id}`,
      expiryDate: id % 2 === 0 ? "2027-01-15" : "2028-06-30",
      manufacturer: "Bio Farma",
    })),
  );
  const balances = facilityIds.flatMap((orgUnitId, index) =>
    batchIds.map((batchId) => ({
      orgUnitId,
      batchId,
      itemId: Math.ceil(batchId / 2),
      quantity: (index * 7 + batchId * 13) % 400,
    })),
  );
  await insertInChunks(balances, (chunk) => db.insert(stockBalances).values(chunk));
  await insertInChunks(
    balances.map((balance, index) => ({
      orgUnitId: balance.orgUnitId,
      itemId: balance.itemId,
      batchId: balance.batchId,
      movementType: "receipt" as const,
      quantity: balance.quantity,
      balanceAfter: balance.quantity,
      idempotencyKey: `plan-${index}`,
      occurredAt: new Date(Date.now() - (index % 90) * 86_400_000),
    })),
    (chunk) => db.insert(stockLedger).values(chunk),
  );
  await insertInChunks(
    facilityIds.flatMap((orgUnitId, index) =>
      itemIds.map((itemId) => ({
        orgUnitId,
        itemId,
        averageMonthlyConsumption: (index + itemId * 31) % 150,
        windowMonths: 3,
        computedAt: new Date(),
      })),
    ),
    (chunk) => db.insert(stockConsumptionRates).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((facilityId) => ({ id: facilityId, facilityId, kind: "refrigerator" as const, name: "Fridge" })),
    (chunk) => db.insert(equipment).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((id) => ({
      id,
      deviceId: `PLAN-${id}`,
      equipmentId: id,
      credentialHash: "not-a-usable-hash",
      credentialIssuedAt: new Date(),
    })),
    (chunk) => db.insert(sensors).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((sensorId, index) => {
      const at = new Date(Date.now() - (index % 5) * 1_800_000);
      return { sensorId, lastReadingAt: at, lastTempCentiC: 500, lastReceivedAt: at, online: index % 11 !== 0 };
    }),
    (chunk) => db.insert(sensorStates).values(chunk),
  );
  await insertInChunks(
    facilityIds
      .filter((_, index) => index % 30 === 0)
      .map((id, index) => ({
        equipmentId: id,
        sensorId: id,
        facilityId: id,
        type: (["heat", "freeze", "no_data"] as const)[index % 3] ?? "heat",
        status: "open" as const,
        liveKey: `${id}:${index % 3}`,
        startedAt: new Date(Date.now() - (index % 10) * 86_400_000),
      })),
    (chunk) => db.insert(alarms).values(chunk),
  );
  // Alarm history: most alarms ever raised are resolved, and only live ones are counted.
  await insertInChunks(
    facilityIds.flatMap((id) =>
      [1, 2, 3].map((age) => ({
        equipmentId: id,
        sensorId: id,
        facilityId: id,
        type: "heat" as const,
        status: "resolved" as const,
        startedAt: new Date(Date.now() - age * 20 * 86_400_000),
      })),
    ),
    (chunk) => db.insert(alarms).values(chunk),
  );
  await db.execute(
    sql`ANALYZE TABLE org_units, stock_balances, stock_ledger, equipment, sensors, sensor_states, alarms`,
  );
}, 300_000);

afterAll(async () => {
  await database?.destroy();
});

interface PlanRow {
  table: string | null;
  type: string | null;
  key: string | null;
}

async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<PlanRow[]> {
  const { sql: text, params } = query.toSQL();
  const [rows] = await database.pool.query(`EXPLAIN ${text}`, params);
  return rows as PlanRow[];
}

/** Tables that grow with the country: never read whole. */
const largeTables = new Set([
  "stock_balances",
  "stock_ledger",
  "sensors",
  "sensor_states",
  "alarms",
  "stock_consumption_rates",
]);

function fullScansOfLargeTables(plan: readonly PlanRow[]): PlanRow[] {
  return plan.filter(
    (row) => row.table !== null && largeTables.has(row.table) && (row.type === "ALL" || row.key === null),
  );
}

async function national() {
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, 1));
  if (!unit) throw new Error("the national unit was just inserted");
  return unit;
}

describe("scope figures at 10,000 facilities", () => {
  it("reach balances, ledger, sensors and alarms through indexes", async () => {
    const scope = await national();
    const figures = facilityFigures(db, scope, new Date());
    // Every column is read, so no joined table is left out of the plan as unused.
    const everything = Object.fromEntries(
      Object.entries(figures._.selectedFields).map(([name, field]) => [name, sql`${field}`]),
    );
    const overviewPlan = await planOf(db.select(everything).from(figures).groupBy(figures.childKey));
    const planned = new Set(overviewPlan.map((row) => row.table));
    expect([...largeTables, "org_units", "equipment"].filter((table) => !planned.has(table))).toEqual([]);
    expect(fullScansOfLargeTables(overviewPlan)).toEqual([]);
    const tablePlan = await planOf(
      db
        .select(everything)
        .from(figures)
        .orderBy(sql`${figures.stockStatusRank}`, sql`${figures.facilityId}`)
        .limit(51),
    );
    expect(fullScansOfLargeTables(tablePlan)).toEqual([]);
  });

  it("counts all 10,000 facilities and pages the table over them", async () => {
    const scope = await national();
    const overview = await getOverview(db, scope);
    expect(overview.totals.facilities).toBe(FACILITIES);
    expect(overview.children).toHaveLength(PROVINCES);
    expect(overview.totals.coldchain.fridges).toBe(FACILITIES);
    const page = await listFacilityFigures(db, scope, {
      sort: "stock_status",
      direction: "asc",
      limit: 50,
    });
    expect(page.total).toBe(FACILITIES);
    expect(page.items).toHaveLength(50);
    expect(page.items.every((row) => row.stock.items.length === VACCINES)).toBe(true);
  });
});
