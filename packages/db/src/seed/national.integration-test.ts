import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySecret } from "../passwords";
import { createTestDatabase, readTestServices, type TestDatabase } from "../testing";
import { demoDeviceSecret } from "./coldchain";
import { type NationalSummary, seedNationalWorld } from "./national";
import { countSeededTables, type TableCounts } from "./summary";

const now = new Date("2026-03-02T05:17:00Z");
let database: TestDatabase;
let first: NationalSummary;
let countsAfterFirst: TableCounts;

async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
  const [rows] = await database.db.execute(statement);
  return rows as unknown as T[];
}

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "national");
  first = await seedNationalWorld(database.db, { scale: 0.01, seed: 3, now });
  countsAfterFirst = await countSeededTables(database.db);
}, 180_000);

afterAll(async () => {
  await database?.destroy();
});

describe("seedNationalWorld at scale 0.01", () => {
  it("builds every province and district, 100 puskesmas, with paths from the real ids", async () => {
    expect(first.orgUnits).toEqual({ province: 38, district: 514, facility: 100 });
    const wrong = await query<{ code: string }>(sql`
      SELECT c.code FROM org_units c LEFT JOIN org_units p ON p.id = c.parent_id
      WHERE c.path <> CONCAT(COALESCE(p.path, '/'), c.id, '/')`);
    expect(wrong).toEqual([]);
  });

  it("gives every puskesmas two fridges and every district one, each with a sensor and a state", () => {
    expect(first.tables.equipment.total).toBe(2 * 100 + 514);
    expect(first.tables.sensors.total).toBe(714);
    expect(first.tables.sensor_states.total).toBe(714);
  });

  it("stores device credentials that verify against the demo secrets", async () => {
    const [sensor] = await query<{ deviceId: string; hash: string }>(
      sql`SELECT device_id AS deviceId, credential_hash AS hash FROM sensors ORDER BY id LIMIT 1`,
    );
    expect(await verifySecret(sensor?.hash ?? "", demoDeviceSecret(sensor?.deviceId ?? ""))).toBe(true);
  });

  it("keeps 90 days of ledger that agrees with every balance, for every store", async () => {
    const mismatches = await query<{ orgUnitId: number }>(sql`
      SELECT b.org_unit_id AS orgUnitId FROM stock_balances b
      LEFT JOIN (SELECT org_unit_id, batch_id, SUM(quantity) AS total FROM stock_ledger GROUP BY org_unit_id, batch_id) l
        ON l.org_unit_id = b.org_unit_id AND l.batch_id = b.batch_id
      WHERE b.quantity < 0 OR l.total IS NULL OR l.total <> b.quantity`);
    expect(mismatches).toEqual([]);
    const [span] = await query<{ stores: number; withoutStock: number; days: number; usageDays: number }>(sql`
      SELECT (SELECT COUNT(DISTINCT org_unit_id) FROM stock_balances) AS stores,
             (SELECT COUNT(*) FROM org_units o WHERE NOT EXISTS
                (SELECT 1 FROM stock_balances b WHERE b.org_unit_id = o.id)) AS withoutStock,
             (SELECT DATEDIFF(MAX(occurred_at), MIN(occurred_at)) FROM stock_ledger) AS days,
             (SELECT COUNT(DISTINCT DATE(occurred_at)) FROM stock_ledger WHERE movement_type = 'usage') AS usageDays`);
    expect(Number(span?.withoutStock)).toBe(0);
    expect(Number(span?.days)).toBeGreaterThanOrEqual(90);
    expect(Number(span?.usageDays)).toBeGreaterThanOrEqual(60);
  });

  it("gives 10 sensors a week of readings and a year of rollups that agree with them", async () => {
    const [full] = await query<{ sensors: number; minReadings: number; minHours: number; minDays: number }>(sql`
      SELECT COUNT(*) AS sensors, MIN(r.n) AS minReadings, MIN(h.n) AS minHours, MIN(d.n) AS minDays
      FROM (SELECT sensor_id, COUNT(*) AS n FROM readings GROUP BY sensor_id HAVING COUNT(*) > 144 * 2) r
      JOIN (SELECT sensor_id, COUNT(*) AS n FROM reading_rollups_hourly GROUP BY sensor_id) h ON h.sensor_id = r.sensor_id
      JOIN (SELECT sensor_id, COUNT(*) AS n FROM reading_rollups_daily GROUP BY sensor_id) d ON d.sensor_id = r.sensor_id`);
    expect(Number(full?.sensors)).toBe(10);
    // A week from a whole hour on: 1,008 readings less the slots before that hour.
    expect(Number(full?.minReadings)).toBeGreaterThan(7 * 144 - 6);
    expect(Number(full?.minReadings)).toBeLessThanOrEqual(7 * 144);
    expect(Number(full?.minHours)).toBeGreaterThanOrEqual(365 * 24);
    expect(Number(full?.minDays)).toBeGreaterThanOrEqual(365);
    // Within the raw window every hourly rollup is exactly its readings.
    expect(await disagreeingRollups()).toEqual([]);
    const [latest] = await query<{ stale: number }>(sql`
      SELECT SUM(st.last_reading_at <> r.latest) AS stale FROM sensor_states st
      JOIN (SELECT sensor_id, MAX(ts) AS latest FROM readings GROUP BY sensor_id) r ON r.sensor_id = st.sensor_id`);
    expect(Number(latest?.stale)).toBe(0);
  });

  it("changes nothing when run again", async () => {
    const second = await seedNationalWorld(database.db, { scale: 0.01, seed: 3, now });
    expect(await countSeededTables(database.db)).toEqual(countsAfterFirst);
    for (const table of Object.values(second.tables)) expect(table.added).toBe(0);
    expect(second.readings.sensorsWritten).toBe(0);
  }, 120_000);

  it("adds only the readings of the time since when run later, its rollups still equal to them", async () => {
    const later = await seedNationalWorld(database.db, {
      scale: 0.01,
      seed: 3,
      now: new Date(now.getTime() + 3_600_000),
    });
    expect(later.tables.readings.added).toBe(714 * 6);
    expect(later.tables.stock_ledger.added).toBe(0);
    expect(await disagreeingRollups()).toEqual([]);
  }, 120_000);
});

/** Hourly rollups that differ from the raw readings of their hour (where there are any). */
async function disagreeingRollups() {
  return query<{ sensorId: number }>(sql`
      SELECT h.sensor_id AS sensorId FROM reading_rollups_hourly h
      JOIN (SELECT sensor_id, DATE_FORMAT(ts, '%Y-%m-%d %H:00:00') AS bucket, MIN(temp_centi_c) AS mn,
                   MAX(temp_centi_c) AS mx, SUM(temp_centi_c) AS total, COUNT(*) AS n
            FROM readings GROUP BY sensor_id, bucket) r
        ON r.sensor_id = h.sensor_id AND r.bucket = h.bucket_start
      WHERE r.mn <> h.min_centi_c OR r.mx <> h.max_centi_c OR r.total <> h.sum_centi_c OR r.n <> h.count`);
}
