import { createManualClock } from "@rantai/core/coldchain/alarms";
import { storeReadings } from "@rantai/core/coldchain/readings-store";
import { createLogger } from "@rantai/core/kernel/logger";
import { type AlarmType, alarms } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { and, eq } from "drizzle-orm";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlarmMetrics } from "../alarm-metrics";
import { waitFor } from "../testing/helpers";
import { startNoDataCheck } from "./no-data-check";

/*
 * The NO_DATA check as ingest schedules it, on a clock of the test's own: hours of silence pass
 * in a few hundred rounds, and the period is whatever ingest is configured with.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;

let database: TestDatabase;
let facility: Awaited<ReturnType<typeof createOrgUnit>>;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "nodatacheck");
  const district = await createOrgUnit(database.db, { parent: null, level: "district" });
  facility = await createOrgUnit(database.db, { parent: district, level: "facility" });
});
afterAll(async () => {
  await database?.destroy();
});

/** A sensor whose last reading was taken at `at` (device time). */
async function sensorLastHeardAt(at: number) {
  const fridge = await createFridgeWithSensor(database.db, { facility });
  await storeReadings(database.db, [
    {
      sensorId: fridge.sensorId,
      ts: new Date(at),
      tempCentiC: 500,
      batteryPct: 80,
      seq: null,
      receivedAt: new Date(at),
    },
  ]);
  return fridge;
}
const alarmsOf = (sensorId: number, type: AlarmType) =>
  database.db
    .select()
    .from(alarms)
    .where(and(eq(alarms.sensorId, sensorId), eq(alarms.type, type)));
const quiet = createLogger({ service: "ingest", base: { test: "no-data-check" }, level: "silent" });

describe("NO_DATA check scheduling", () => {
  it("steps through 3 h of clock time a minute per round: one alarm, raised at 61 min", async () => {
    const base = Date.UTC(2025, 5, 1);
    const { sensorId } = await sensorLastHeardAt(base);
    const clock = createManualClock(base);
    const registry = new Registry();
    const metrics = createAlarmMetrics(registry);
    // A period the test never waits for: it runs the rounds itself.
    const check = startNoDataCheck({ db: database.db, intervalMs: HOUR, logger: quiet, metrics, clock });
    try {
      const first = check.runNow();
      expect(check.runNow()).toBe(first); // never two rounds at once
      await first;
      const raisedAt: number[] = [];
      for (let minute = 1; minute <= 180; minute += 1) {
        clock.advance(MIN);
        await check.runNow();
        if ((await alarmsOf(sensorId, "no_data")).length > raisedAt.length) raisedAt.push(minute);
      }
      expect(raisedAt).toEqual([61]);
      expect(await alarmsOf(sensorId, "no_data")).toMatchObject([
        { status: "open", openedAt: new Date(base + 60 * MIN), detectedAt: new Date(base + 61 * MIN) },
      ]);
      expect((await metrics.noDataChecks.get()).values).toEqual([
        expect.objectContaining({ labels: { result: "ok" }, value: 181 }),
      ]);
      expect((await metrics.opened.get()).values).toEqual([
        expect.objectContaining({ labels: { type: "no_data" }, value: 1 }),
      ]);
    } finally {
      await check.stop();
    }
  });

  it("runs rounds on its own at the configured period, reading the injected clock", async () => {
    const base = Date.UTC(2025, 6, 1);
    const { sensorId } = await sensorLastHeardAt(base);
    const clock = createManualClock(base + 2 * HOUR);
    const check = startNoDataCheck({
      db: database.db,
      intervalMs: 25,
      logger: quiet,
      metrics: createAlarmMetrics(new Registry()),
      clock,
    });
    try {
      await waitFor("the timer's round", async () => (await alarmsOf(sensorId, "no_data")).length === 1);
      expect(await alarmsOf(sensorId, "no_data")).toMatchObject([{ detectedAt: new Date(base + 2 * HOUR) }]);
    } finally {
      await check.stop();
    }
  });
});
