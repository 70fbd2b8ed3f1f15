import { type Database, orgUnits } from "@rantai/db";
import type { TestDatabase } from "@rantai/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { facilityFigures } from "./facility-figures";
import { listFacilityFigures } from "./facility-table";
import { getOverview } from "./overview";
import { countrySize, createCountryDataset, createOrgsTestDatabase } from "./testing";

/**
 * The query plans of the overview and the facility table on a country-sized scope: 38 provinces,
 * 514 districts, 10,000 facilities with five vaccines in two lots each, a fridge with a sensor
 * each, a ledger and live alarms. Every table but the scope's own org units must be reached
 * through an index: a full scan of balances, ledger, sensors or alarms per request would not
 * stay fast. (Timings are the benchmark's business, not this test's.)
 */
const { provinces: PROVINCES, facilities: FACILITIES, vaccines: VACCINES } = countrySize;

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createOrgsTestDatabase("scope_plan");
  db = database.db;
  await createCountryDataset(db);
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
