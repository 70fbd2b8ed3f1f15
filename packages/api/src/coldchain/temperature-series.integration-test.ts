import { forbiddenMessage } from "@rantai/core/kernel";
import { createTestAlarm } from "@rantai/core/testing";
import { readingRollupsDaily, readingRollupsHourly, readings } from "@rantai/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let world: ApiTestWorld;
// The end of every window: a whole hour, so bucket counts are exact.
const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);

/** Rollup rows of one temperature per bucket, so each source is told apart by its values. */
function rollupRows(sensorId: number, bucketMs: number, buckets: number, centi: number) {
  return Array.from({ length: buckets }, (_, index) => ({
    sensorId,
    bucketStart: new Date(end.getTime() - (index + 1) * bucketMs),
    minCentiC: centi - 100,
    maxCentiC: centi + 100,
    sumCentiC: centi * 6,
    count: 6,
  }));
}

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 1_000) await insert(rows.slice(start, start + 1_000));
}

beforeAll(async () => {
  world = await createApiTestWorld("tseries");
  const a1 = world.fridges.facilityA1.sensorId;
  // Raw 5.00 °C every 10 minutes over 3 days; hourly rollups 6.00 °C over 70 days; daily 7.00 °C over 400 days.
  const raw = Array.from({ length: 3 * 144 }, (_, index) => ({
    sensorId: a1,
    ts: new Date(end.getTime() - (index + 1) * 600_000),
    tempCentiC: 500,
    receivedAt: new Date(),
  }));
  await insertInChunks(raw, (chunk) => world.db.insert(readings).values(chunk));
  await insertInChunks(rollupRows(a1, HOUR, 70 * 24, 600), (chunk) =>
    world.db.insert(readingRollupsHourly).values(chunk),
  );
  await world.db.insert(readingRollupsDaily).values(rollupRows(a1, DAY, 400, 700));
  // A2 logs every 30 s: a day of it is more raw points than a chart takes.
  const dense = Array.from({ length: 2 * 1440 }, (_, index) => ({
    sensorId: world.fridges.facilityA2.sensorId,
    ts: new Date(end.getTime() - (index + 1) * 30_000),
    tempCentiC: 450,
    receivedAt: new Date(),
  }));
  await insertInChunks(dense, (chunk) => world.db.insert(readings).values(chunk));
  await world.db.insert(readingRollupsHourly).values(rollupRows(world.fridges.facilityA2.sensorId, HOUR, 24, 450));
  await createTestAlarm(
    world.db,
    { ...world.fridges.facilityA1, facilityId: world.units.facilityA1.id },
    { status: "resolved", startedAt: new Date(end.getTime() - 20 * HOUR) },
  );
});
afterAll(async () => {
  await world?.destroy();
});

const window = (spanMs: number) => ({ from: new Date(end.getTime() - spanMs), to: end });

describe("coldchain.temperatureSeries", () => {
  it("draws 24 hours from raw readings, with the storage band and the alarms in the window", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const series = await caller.coldchain.temperatureSeries({
      equipmentId: world.fridges.facilityA1.equipmentId,
      ...window(DAY),
    });
    expect(series.resolution).toBe("raw");
    expect(series.times).toHaveLength(144);
    expect(new Set(series.avgC)).toEqual(new Set([5]));
    expect(series.minC).toBeNull();
    expect(series.band).toEqual({ minC: 2, maxC: 8 });
    expect(series.alarms).toHaveLength(1);
    expect(series.alarms[0]).toMatchObject({ type: "heat", status: "resolved" });
    expect(series.times).toEqual([...series.times].sort((a, b) => a - b));
    expect(series).toMatchObject({ timeZone: "Asia/Jakarta", timeZoneAbbreviation: "WIB" });
  });

  it("draws 7 and 30 days from hourly rollups: min, average and max per hour", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const equipmentId = world.fridges.facilityA1.equipmentId;
    const week = await caller.coldchain.temperatureSeries({ equipmentId, ...window(7 * DAY) });
    expect(week.resolution).toBe("hourly");
    expect(week.times).toHaveLength(7 * 24);
    expect(new Set(week.avgC)).toEqual(new Set([6]));
    expect(new Set(week.minC)).toEqual(new Set([5]));
    expect(new Set(week.maxC)).toEqual(new Set([7]));
    const month = await caller.coldchain.temperatureSeries({ equipmentId, ...window(30 * DAY) });
    expect(month.resolution).toBe("hourly");
    expect(month.times).toHaveLength(30 * 24);
  });

  it("draws a year from daily rollups, one point a day, and no alarm outside the window", async () => {
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const year = await caller.coldchain.temperatureSeries({
      equipmentId: world.fridges.facilityA1.equipmentId,
      from: new Date(end.getTime() - 365 * DAY),
      to: new Date(end.getTime() - 2 * DAY),
    });
    expect(year.resolution).toBe("daily");
    expect(year.times.length).toBeGreaterThanOrEqual(363);
    expect(year.times.length).toBeLessThanOrEqual(365);
    expect(new Set(year.avgC)).toEqual(new Set([7]));
    expect(year.alarms).toEqual([]);
  });

  it("falls back to hourly when a short window holds more raw points than a chart takes", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const series = await caller.coldchain.temperatureSeries({
      equipmentId: world.fridges.facilityA2.equipmentId,
      ...window(DAY),
    });
    expect(series.resolution).toBe("hourly");
    expect(series.times).toHaveLength(24);
    const hour = await caller.coldchain.temperatureSeries({
      equipmentId: world.fridges.facilityA2.equipmentId,
      ...window(2 * HOUR),
    });
    expect(hour.resolution).toBe("raw");
    expect(hour.times).toHaveLength(240);
  });

  it("draws from hourly rollups when the raw points exceed what the client asked for (a phone's chart)", async () => {
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const equipmentId = world.fridges.facilityA1.equipmentId;
    const few = await caller.coldchain.temperatureSeries({ equipmentId, ...window(DAY), maxRawPoints: 100 });
    expect(few.resolution).toBe("hourly");
    expect(few.times).toHaveLength(24);
    const enough = await caller.coldchain.temperatureSeries({ equipmentId, ...window(DAY), maxRawPoints: 144 });
    expect(enough.resolution).toBe("raw");
    expect(enough.times).toHaveLength(144);
  });

  it("refuses a window longer than 400 days, or one that ends before it starts", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const equipmentId = world.fridges.facilityA1.equipmentId;
    expect((await errorOf(caller.coldchain.temperatureSeries({ equipmentId, ...window(401 * DAY) }))).code).toBe(
      "BAD_REQUEST",
    );
    const backwards = caller.coldchain.temperatureSeries({
      equipmentId,
      from: end,
      to: new Date(end.getTime() - HOUR),
    });
    expect((await errorOf(backwards)).code).toBe("BAD_REQUEST");
  });

  it("refuses another district's fridge exactly like one that does not exist", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const other = await errorOf(
      caller.coldchain.temperatureSeries({ equipmentId: world.fridges.facilityB1.equipmentId, ...window(DAY) }),
    );
    const missing = await errorOf(caller.coldchain.temperatureSeries({ equipmentId: 999_999, ...window(DAY) }));
    expect(other.code).toBe("FORBIDDEN");
    expect(missing.code).toBe("FORBIDDEN");
    expect(other.message).toBe(forbiddenMessage);
    expect(missing.message).toBe(forbiddenMessage);
  });

  it("reads a year from the daily rollups' primary key by range", async () => {
    const sensorId = world.fridges.facilityA1.sensorId;
    const [plan] = (await world.db.execute(
      sql`EXPLAIN SELECT bucket_start, MIN(min_centi_c) FROM ${readingRollupsDaily}
          WHERE sensor_id IN (${sensorId}) AND bucket_start >= ${new Date(end.getTime() - 365 * DAY)}
          AND bucket_start < ${end} GROUP BY bucket_start ORDER BY bucket_start`,
    )) as unknown as [{ key: string | null; type: string }[]];
    expect(plan[0]).toMatchObject({ key: "PRIMARY", type: "range" });
  });
});

describe("orgs.facility", () => {
  it("names the facility's district, province and clock", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const facility = await caller.orgs.facility({ facilityId: world.units.facilityA1.id });
    expect(facility).toMatchObject({
      id: world.units.facilityA1.id,
      name: "Puskesmas Depok I",
      district: { id: world.units.districtA.id, name: "Kabupaten Sleman" },
      province: { id: world.units.province.id, name: "DI Yogyakarta" },
      timeZoneAbbreviation: "WIB",
    });
  });

  it("refuses another district's facility, a district and an unknown id alike", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    for (const facilityId of [world.units.facilityB1.id, world.units.districtA.id, 999_999]) {
      const error = await errorOf(caller.orgs.facility({ facilityId }));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toBe(forbiddenMessage);
    }
  });
});
