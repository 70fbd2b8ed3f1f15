import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySecret } from "../passwords";
import { createTestDatabase, readTestServices, type TestDatabase } from "../testing";
import { DEMO_PASSWORD, demoDeviceSecret, type SeedSummary, seedDemoWorld } from "./index";
import { countSeededTables, type TableCounts } from "./summary";

const now = new Date("2026-03-02T05:17:00Z");

let database: TestDatabase;
let first: SeedSummary;
let countsAfterFirst: TableCounts;

/** Rows of a raw query, typed by the caller (mysql2 returns [rows, fields]). */
async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  const [rows] = await database.db.execute(statement);
  return rows as unknown as T[];
}

/** Store × batch balances that differ from the sum of their ledger entries, or are negative. */
async function balanceMismatches() {
  return query<{ orgUnitId: number }>(sql`
    SELECT b.org_unit_id AS orgUnitId
    FROM stock_balances b
    LEFT JOIN (SELECT org_unit_id, batch_id, SUM(quantity) AS total FROM stock_ledger GROUP BY org_unit_id, batch_id) l
      ON l.org_unit_id = b.org_unit_id AND l.batch_id = b.batch_id
    WHERE b.quantity < 0 OR l.total IS NULL OR l.total <> b.quantity
    UNION ALL
    SELECT l.org_unit_id FROM stock_ledger l
    LEFT JOIN stock_balances b ON b.org_unit_id = l.org_unit_id AND b.batch_id = l.batch_id
    WHERE b.org_unit_id IS NULL`);
}

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "seed");
  first = await seedDemoWorld(database.db, { now, historyDays: 1 });
  countsAfterFirst = await countSeededTables(database.db);
}, 120_000);

afterAll(async () => {
  await database?.destroy();
});

describe("seedDemoWorld", () => {
  it("builds the national store and DI Yogyakarta complete", () => {
    expect(first.orgUnitsByLevel).toEqual({ national: 1, province: 1, district: 5, facility: 78 });
    expect(first.tables.supply_links.total).toBe(84);
    expect(first.tables.users.total).toBe(7);
  });

  it("gives every unit its parent's path plus its own id, at the right depth", async () => {
    const wrong = await query<{ code: string }>(sql`
      SELECT c.code FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id
      WHERE c.path <> CONCAT(COALESCE(p.path, '/'), c.id, '/')
         OR c.depth <> (LENGTH(c.path) - LENGTH(REPLACE(c.path, '/', '')) - 2)`);
    expect(wrong).toEqual([]);
  });

  it("keeps every balance equal to the sum of its ledger entries, none negative", async () => {
    expect(first.tables.stock_ledger.total).toBeGreaterThan(1000);
    expect(await balanceMismatches()).toEqual([]);
    const badRunning = await query<{ id: number }>(sql`
      SELECT l.id FROM stock_ledger l
      WHERE l.balance_after <> (SELECT SUM(p.quantity) FROM stock_ledger p
        WHERE p.org_unit_id = l.org_unit_id AND p.batch_id = l.batch_id AND p.id <= l.id)
         OR (l.movement_type = 'usage' AND (l.quantity >= 0 OR l.doses_administered > -l.quantity))`);
    expect(badRunning).toEqual([]);
  });

  it("gives each puskesmas a fridge with a sensor whose readings and state exist", async () => {
    const withoutSensor = await query<{ code: string }>(sql`
      SELECT o.code FROM org_units o
      WHERE o.level = 'facility' AND NOT EXISTS (
        SELECT 1 FROM equipment e JOIN sensors s ON s.equipment_id = e.id
        WHERE e.facility_id = o.id AND e.kind = 'refrigerator')`);
    expect(withoutSensor).toEqual([]);
    // One reading every 10 minutes, but for the Srandakan sensor's planted silence (the last 16 slots).
    expect(first.tables.readings.total).toBe(first.tables.sensors.total * 144 - 16);
    const [state] = await query<{ lastReadingAt: string; stale: number }>(sql`
      SELECT MAX(last_reading_at) AS lastReadingAt, SUM(st.last_reading_at <> r.latest) AS stale
      FROM sensor_states st JOIN (SELECT sensor_id, MAX(ts) AS latest FROM readings GROUP BY sensor_id) r
        ON r.sensor_id = st.sensor_id`);
    // Raw queries return DATETIME as text (UTC): the last reading is `now` floored to 10 min.
    expect(state?.lastReadingAt).toBe("2026-03-02 05:10:00.000");
    expect(Number(state?.stale)).toBe(0);
    const [rollups] = await query<{ readingsCounted: number }>(
      sql`SELECT SUM(\`count\`) AS readingsCounted FROM reading_rollups_hourly`,
    );
    expect(Number(rollups?.readingsCounted)).toBe(first.tables.readings.total);
    // The days agree with their hours, so a year's chart (daily rollups) shows the same history.
    const [days] = await query<{ readingsCounted: number; mismatched: number }>(sql`
      SELECT SUM(d.\`count\`) AS readingsCounted,
             SUM(d.min_centi_c <> h.low OR d.max_centi_c <> h.high OR d.sum_centi_c <> h.total) AS mismatched
      FROM reading_rollups_daily d
      JOIN (SELECT sensor_id, DATE(bucket_start) AS day, MIN(min_centi_c) AS low, MAX(max_centi_c) AS high,
                   SUM(sum_centi_c) AS total
            FROM reading_rollups_hourly GROUP BY sensor_id, DATE(bucket_start)) h
        ON h.sensor_id = d.sensor_id AND h.day = DATE(d.bucket_start)`);
    expect(Number(days?.readingsCounted)).toBe(first.tables.readings.total);
    expect(Number(days?.mismatched)).toBe(0);
  });

  it("stores hashes that verify against the demo password and device secrets", async () => {
    const [user] = await query<{ hash: string }>(
      sql`SELECT password_hash AS hash FROM users WHERE email = 'pkm.depok@demo.rantai.id'`,
    );
    expect(await verifySecret(user?.hash ?? "", DEMO_PASSWORD)).toBe(true);
    const [sensor] = await query<{ hash: string }>(
      sql`SELECT credential_hash AS hash FROM sensors WHERE device_id = 'RTS-P340407-1'`,
    );
    expect(await verifySecret(sensor?.hash ?? "", demoDeviceSecret("RTS-P340407-1"))).toBe(true);
  });

  it("changes nothing when run again", async () => {
    const second = await seedDemoWorld(database.db, { now, historyDays: 1 });
    expect(await countSeededTables(database.db)).toEqual(countsAfterFirst);
    for (const table of Object.values(second.tables)) expect(table.added).toBe(0);
    expect(second.stockEntriesSkipped).toBe(0);
    expect(await balanceMismatches()).toEqual([]);
  }, 120_000);
});
