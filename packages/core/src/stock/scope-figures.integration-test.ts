import type { TestDatabase } from "@rantai/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrgsTestDatabase } from "../orgs/testing";
import { type StockLevel, stockStatus } from "./indicators";
import { stockStatusSql } from "./scope-figures";

/** The SQL twin of `stockStatus` must give the same answer for every case, boundaries included. */
let database: TestDatabase;

beforeAll(async () => {
  database = await createOrgsTestDatabase("stock_status_sql");
});
afterAll(async () => {
  await database?.destroy();
});

describe("stockStatusSql", () => {
  it("agrees with stockStatus on stock, consumption and levels around every boundary", async () => {
    const levels: StockLevel[] = [
      { minMonths: 1, maxMonths: 2 },
      { minMonths: 0, maxMonths: 3 },
      { minMonths: 0.5, maxMonths: 1.25 },
      { minMonths: 2, maxMonths: 4 },
    ];
    const cases: { stock: number; amc: number; level: StockLevel }[] = [];
    for (const level of levels) {
      for (const amc of [0, 1, 7, 100, 338]) {
        const boundaries = [level.minMonths * amc, level.maxMonths * amc];
        const stocks = [0, 1, ...boundaries.flatMap((at) => [Math.floor(at) - 1, Math.floor(at), Math.ceil(at) + 1])];
        for (const stock of stocks.filter((value) => value >= 0)) cases.push({ stock, amc, level });
      }
    }
    const rows = await Promise.all(
      cases.map(async ({ stock, amc, level }) => {
        const status = stockStatusSql(
          sql`${stock}`,
          sql`${amc}`,
          sql`CAST(${level.minMonths} AS DECIMAL(4,2))`,
          sql`CAST(${level.maxMonths} AS DECIMAL(4,2))`,
        );
        const [result] = (await database.db.execute(sql`SELECT ${status} AS status`))[0] as unknown as {
          status: string;
        }[];
        return [stock, amc, level.minMonths, level.maxMonths, result?.status];
      }),
    );
    expect(rows).toEqual(
      cases.map(({ stock, amc, level }) => [
        stock,
        amc,
        level.minMonths,
        level.maxMonths,
        stockStatus(stock, amc, level),
      ]),
    );
    expect(new Set(rows.map((row) => row[4]))).toEqual(
      new Set(["stock_out", "unknown", "below_min", "normal", "above_max"]),
    );
  });
});
