import { readingRollupsHourly, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import type { RowDataPacket } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPartitionJob } from "./job";
import { dailyPartitionName, fromDays, toDays } from "./partitions";

/*
 * The partition job on a real MariaDB: daily partitions are created ahead (splitting p_future,
 * moving rows that were already there), expired days are dropped with their rows, rollups stay,
 * and only one job runs at a time per database.
 */
let database: TestDatabase;
let sensorId = 0;
const day0 = toDays(new Date()) - 50;
const at = (day: number, hour = 6) => new Date(fromDays(day).getTime() + hour * 3_600_000);

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "partitions");
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility" });
  sensorId = (await createFridgeWithSensor(database.db, { facility })).sensorId;
});

afterAll(async () => {
  await database?.destroy();
});

async function partitionNames(): Promise<string[]> {
  const [rows] = await database.pool.query<RowDataPacket[]>(
    `SELECT PARTITION_NAME AS name FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'readings' ORDER BY PARTITION_ORDINAL_POSITION`,
  );
  return rows.map((row) => String(row.name));
}

async function countIn(partition: string): Promise<number> {
  const [rows] = await database.pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM readings PARTITION (\`${partition}\`)`,
  );
  return Number(rows[0]?.n);
}

const storedDays = async () =>
  (await database.db.select({ ts: readings.ts }).from(readings))
    .map((row) => toDays(row.ts) - day0)
    .sort((a, b) => a - b);

describe("readings partition job", () => {
  it("creates daily partitions ahead on the first run", async () => {
    const result = await runPartitionJob(database.pool, { retentionDays: 31, daysAhead: 14, now: () => at(day0) });
    expect(result).toMatchObject({ ran: true });
    const names = await partitionNames();
    expect(names[0]).toBe("p_history");
    expect(names.slice(1, -1)).toEqual(Array.from({ length: 15 }, (_, i) => dailyPartitionName(day0 + i)));
    expect(names.at(-1)).toBe("p_future");
    const again = await runPartitionJob(database.pool, { retentionDays: 31, daysAhead: 14, now: () => at(day0, 23) });
    expect(again.ran && again.plan.statements).toEqual([]);
  });

  it("splits rows out of p_future and drops expired days with their rows, keeping rollups", async () => {
    const row = (day: number) => ({
      sensorId,
      ts: at(day),
      tempCentiC: 450,
      batteryPct: 90,
      seq: day,
      receivedAt: at(day),
    });
    await database.db.insert(readings).values([-5, 1, 10, 20, 45].map((offset) => row(day0 + offset)));
    const rollup = (day: number) => ({
      sensorId,
      bucketStart: at(day),
      minCentiC: 400,
      maxCentiC: 500,
      sumCentiC: 450,
      count: 1,
    });
    await database.db.insert(readingRollupsHourly).values([rollup(day0 - 5), rollup(day0 + 1)]);
    expect(await countIn("p_future")).toBe(2);
    expect(await countIn(dailyPartitionName(day0))).toBe(1); // the first daily partition also holds older days

    // 40 days later, keeping 31 days: cutoff = day0 + 9.
    const result = await runPartitionJob(database.pool, { retentionDays: 31, daysAhead: 14, now: () => at(day0 + 40) });
    if (!result.ran) throw new Error(`job did not run: ${result.reason}`);
    expect(result.plan.dropped).toEqual(Array.from({ length: 9 }, (_, i) => dailyPartitionName(day0 + i)));
    expect(result.plan.added[0]).toBe(dailyPartitionName(day0 + 15));
    expect(result.plan.added.at(-1)).toBe(dailyPartitionName(day0 + 54));

    expect(await storedDays()).toEqual([10, 20, 45]);
    expect(await countIn("p_future")).toBe(0);
    expect(await countIn(dailyPartitionName(day0 + 20))).toBe(1);
    expect(await database.db.$count(readingRollupsHourly)).toBe(2);
    const names = await partitionNames();
    expect(names[1]).toBe(dailyPartitionName(day0 + 9));
    expect(names).toContain("p_history");
  });

  it("skips the round while another replica holds the lock", async () => {
    const other = await database.pool.getConnection();
    try {
      await other.query("SELECT GET_LOCK(LEFT(CONCAT('rantai:partitions:', DATABASE()), 64), 0)");
      expect(await runPartitionJob(database.pool, { retentionDays: 31, daysAhead: 14 })).toEqual({
        ran: false,
        reason: "locked",
      });
      await other.query("SELECT RELEASE_LOCK(LEFT(CONCAT('rantai:partitions:', DATABASE()), 64))");
    } finally {
      other.release();
    }
    expect(await runPartitionJob(database.pool, { retentionDays: 31, daysAhead: 14 })).toMatchObject({ ran: true });
  });
});
