import { type Database, type OrgUnit, sensorStates, sensors } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import type { TestDatabase } from "@rantai/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrgsTestDatabase } from "../orgs/testing";
import { facilityFridgeStates } from "./scope-figures";
import { isStale } from "./temperature";

/**
 * The silence rule in SQL must be `isStale`'s: each facility here has one fridge whose sensor
 * logs every `interval` seconds and last read `age` ago, on both sides of max(60 min, 2 × interval).
 */
const MINUTE = 60_000;
const cases = [
  { interval: 300, ageMs: 59 * MINUTE },
  { interval: 300, ageMs: 61 * MINUTE },
  { interval: 3600, ageMs: 119 * MINUTE },
  { interval: 3600, ageMs: 121 * MINUTE },
  { interval: 7200, ageMs: 230 * MINUTE },
  { interval: 7200, ageMs: 250 * MINUTE },
];

let database: TestDatabase;
let db: Database;
let district: OrgUnit;
const facilities: { unit: OrgUnit; interval: number; lastReadingAt: Date }[] = [];
const now = new Date();

beforeAll(async () => {
  database = await createOrgsTestDatabase("fridge_figures");
  db = database.db;
  const national = await createOrgUnit(db, { parent: null, level: "national" });
  district = await createOrgUnit(db, { parent: national, level: "district" });
  for (const { interval, ageMs } of cases) {
    const unit = await createOrgUnit(db, { parent: district, level: "facility" });
    const { sensorId } = await createFridgeWithSensor(db, { facility: unit });
    await db.update(sensors).set({ expectedIntervalSeconds: interval }).where(eq(sensors.id, sensorId));
    const lastReadingAt = new Date(now.getTime() - ageMs);
    await db
      .insert(sensorStates)
      .values({ sensorId, lastReadingAt, lastTempCentiC: 500, lastReceivedAt: lastReadingAt });
    facilities.push({ unit, interval, lastReadingAt });
  }
});
afterAll(async () => {
  await database?.destroy();
});

describe("facilityFridgeStates", () => {
  it("calls a fridge silent exactly when isStale does", async () => {
    const figures = facilityFridgeStates(db, district.path, now);
    const rows = await db
      .select({ facilityId: sql<number>`${figures.facilityId}`, silent: sql<number>`${figures.fridgesSilent}` })
      .from(figures);
    const silentBySql = new Map(rows.map((row) => [Number(row.facilityId), Number(row.silent)]));
    const verdicts = facilities.map(({ unit, interval, lastReadingAt }) => [
      interval,
      silentBySql.get(unit.id),
      isStale(lastReadingAt, interval, now) ? 1 : 0,
    ]);
    expect(verdicts.map(([interval, bySql]) => [interval, bySql])).toEqual(
      verdicts.map(([interval, , byRule]) => [interval, byRule]),
    );
    expect(new Set(verdicts.map((verdict) => verdict[2]))).toEqual(new Set([0, 1]));
  });
});
