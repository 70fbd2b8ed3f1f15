import { orgUnits, stockRequestLines, stockRequests } from "@rantai/db";
import { seedDemoWorld } from "@rantai/db/seed";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoRequests } from "./demo-requests";

// Requests read stock as it is now, so the world is seeded up to now.
let database: TestDatabase;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "demo_requests");
  await seedDemoWorld(database.db, { historyDays: 1, writeReadings: false });
}, 180_000);

afterAll(async () => {
  await database?.destroy();
});

describe("the demo's open requests", () => {
  it("has each demo puskesmas ask its district store once, with lines, and adds nothing on a rerun", async () => {
    const db = database.db;
    expect(await seedDemoRequests(db)).toEqual({ created: 2 });
    const rows = await db
      .select({
        status: stockRequests.status,
        requester: orgUnits.code,
        requesterParent: orgUnits.parentId,
        supplier: stockRequests.supplierOrgUnitId,
        id: stockRequests.id,
      })
      .from(stockRequests)
      .innerJoin(orgUnits, eq(orgUnits.id, stockRequests.requesterOrgUnitId));
    expect(rows.map((row) => [row.requester, row.status]).sort()).toEqual([
      ["P340215", "submitted"],
      ["P340407", "submitted"],
    ]);
    for (const row of rows) {
      expect(row.supplier).toBe(row.requesterParent);
      const [lines] = await db
        .select({ n: count() })
        .from(stockRequestLines)
        .where(eq(stockRequestLines.requestId, row.id));
      expect(lines?.n).toBeGreaterThan(0);
    }

    expect(await seedDemoRequests(db)).toEqual({ created: 0 });
    const [again] = await db.select({ n: count() }).from(stockRequests);
    expect(again?.n).toBe(2);
  });
});
