import {
  findSensorsByDeviceIds,
  type ReadingRow,
  storeDeadLetters,
  storeReadings,
  updateSensorOnline,
} from "@rantai/core/coldchain/readings-store";
import { createDatabase, type DatabaseHandle, deadLetters, readings, sensorStates, sensors } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
/** A second pool on the same database with CLIENT_FOUND_ROWS off, as ingest runs it. */
let noFoundRows: DatabaseHandle;
let sensorA: { sensorId: number; deviceId: string };
let sensorB: { sensorId: number; deviceId: string };
let inactive: { sensorId: number; deviceId: string };
let facility: Awaited<ReturnType<typeof createOrgUnit>>;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "readings_store");
  noFoundRows = createDatabase({ url: `${database.url}?flags=-FOUND_ROWS`, poolSize: 2 });
  const district = await createOrgUnit(database.db, { parent: null, level: "district", name: "Kabupaten Sleman" });
  facility = await createOrgUnit(database.db, { parent: district, level: "facility", name: "Puskesmas Depok I" });
  sensorA = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-STORE-A" });
  sensorB = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-STORE-B" });
  inactive = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-STORE-OFF" });
  await database.db.update(sensors).set({ active: false }).where(eq(sensors.id, inactive.sensorId));
});

afterAll(async () => {
  await noFoundRows?.close();
  await database?.destroy();
});

const base = Date.parse("2025-01-31T00:00:00Z");
const row = (sensorId: number, minute: number, tempCentiC: number, battery: number | null = 80): ReadingRow => ({
  sensorId,
  ts: new Date(base + minute * 60_000),
  tempCentiC,
  batteryPct: battery,
  seq: minute,
  receivedAt: new Date(),
});

async function stateOf(sensorId: number) {
  const [state] = await database.db.select().from(sensorStates).where(eq(sensorStates.sensorId, sensorId));
  return state;
}

describe("storeReadings", () => {
  it("stores each (sensor, ts) once and counts new vs duplicate, with and without CLIENT_FOUND_ROWS", async () => {
    const first = [row(sensorA.sensorId, 1, 450), row(sensorA.sensorId, 2, 460), row(sensorB.sensorId, 1, 300)];
    expect(await storeReadings(noFoundRows.db, first)).toEqual({ inserted: 3, duplicates: 0 });
    // Redelivery with different values: nothing changes, not even the temperature.
    const again = first.map((reading) => ({ ...reading, tempCentiC: 999 }));
    expect(await storeReadings(noFoundRows.db, again)).toEqual({ inserted: 0, duplicates: 3 });
    // Same on mysql2's default pool (CLIENT_FOUND_ROWS on), which the info string disambiguates.
    const mixed = [row(sensorA.sensorId, 2, 1), row(sensorA.sensorId, 3, 470), row(sensorA.sensorId, 3, 470)];
    expect(await storeReadings(database.db, mixed)).toEqual({ inserted: 1, duplicates: 2 });
    // A single new row and a single duplicate without CLIENT_FOUND_ROWS.
    expect(await storeReadings(noFoundRows.db, [row(sensorB.sensorId, 2, 310)])).toEqual({
      inserted: 1,
      duplicates: 0,
    });
    expect(await storeReadings(noFoundRows.db, [row(sensorB.sensorId, 2, 310)])).toEqual({
      inserted: 0,
      duplicates: 1,
    });

    const stored = await database.db
      .select({ sensorId: readings.sensorId, ts: readings.ts, tempCentiC: readings.tempCentiC })
      .from(readings)
      .orderBy(asc(readings.sensorId), asc(readings.ts));
    expect(stored.map((r) => [r.sensorId, (r.ts.getTime() - base) / 60_000, r.tempCentiC])).toEqual([
      [sensorA.sensorId, 1, 450],
      [sensorA.sensorId, 2, 460],
      [sensorA.sensorId, 3, 470],
      [sensorB.sensorId, 1, 300],
      [sensorB.sensorId, 2, 310],
    ]);
  });

  it("keeps sensor_states at the latest device time: a late older reading never moves it back", async () => {
    const sensorId = sensorB.sensorId;
    await storeReadings(noFoundRows.db, [row(sensorId, 10, 500, 70), row(sensorId, 12, 520, 69)]);
    expect(await stateOf(sensorId)).toMatchObject({
      lastReadingAt: new Date(base + 12 * 60_000),
      lastTempCentiC: 520,
      lastBatteryPct: 69,
    });
    // Buffered readings from before arrive late (a device flushing after an outage).
    const late = [row(sensorId, 11, 900, 90), row(sensorId, 5, 100, 95)];
    const lateReceivedAt = new Date(Date.now() + 1000);
    await storeReadings(
      noFoundRows.db,
      late.map((reading) => ({ ...reading, receivedAt: lateReceivedAt })),
    );
    const afterLate = await stateOf(sensorId);
    expect(afterLate).toMatchObject({
      lastReadingAt: new Date(base + 12 * 60_000),
      lastTempCentiC: 520,
      lastBatteryPct: 69,
    });
    // The arrival time still moves: it says the device is talking.
    expect(afterLate?.lastReceivedAt.getTime()).toBe(lateReceivedAt.getTime());
    // A newer one does move it, null battery included.
    await storeReadings(noFoundRows.db, [row(sensorId, 13, 530, null)]);
    expect(await stateOf(sensorId)).toMatchObject({
      lastReadingAt: new Date(base + 13 * 60_000),
      lastTempCentiC: 530,
      lastBatteryPct: null,
    });
  });

  it("gives the same state for any order and duplication of the same readings", async () => {
    const one = await createFridgeWithSensor(database.db, { facility });
    const [r1, r7, r3] = [row(one.sensorId, 1, 400), row(one.sensorId, 7, 700), row(one.sensorId, 3, 300)];
    for (const batch of [[r3, r7], [r1], [r7, r1]]) await storeReadings(noFoundRows.db, batch);
    expect(await stateOf(one.sensorId)).toMatchObject({ lastTempCentiC: 700 });
    const count = await database.db.$count(readings, eq(readings.sensorId, one.sensorId));
    expect(count).toBe(3);
  });
});

describe("updateSensorOnline", () => {
  it("updates an existing state row and reports a sensor without one", async () => {
    const at = new Date("2025-01-31T05:00:00Z");
    expect(await updateSensorOnline(noFoundRows.db, { sensorId: sensorA.sensorId, online: true, at })).toBe(true);
    expect(await stateOf(sensorA.sensorId)).toMatchObject({ online: true, onlineChangedAt: at });
    // Unchanged status: still found, change time kept.
    const later = new Date("2025-01-31T06:00:00Z");
    expect(await updateSensorOnline(noFoundRows.db, { sensorId: sensorA.sensorId, online: true, at: later })).toBe(
      true,
    );
    expect(await stateOf(sensorA.sensorId)).toMatchObject({ online: true, onlineChangedAt: at });
    expect(await updateSensorOnline(database.db, { sensorId: sensorA.sensorId, online: false, at: later })).toBe(true);
    expect(await stateOf(sensorA.sensorId)).toMatchObject({ online: false, onlineChangedAt: later });
    expect(await updateSensorOnline(noFoundRows.db, { sensorId: inactive.sensorId, online: true, at })).toBe(false);
    expect(await stateOf(inactive.sensorId)).toBeUndefined();
  });
});

describe("storeDeadLetters", () => {
  it("keeps the raw bytes and clips text to the column sizes", async () => {
    const payload = Buffer.from([0x00, 0xff, 0x7b, 0x0a]);
    await storeDeadLetters(database.db, [
      {
        source: "mqtt",
        topic: `coldchain/v1/sensors/${"x".repeat(300)}/readings`,
        deviceId: null,
        reasonCode: "topic_mismatch",
        reason: "r".repeat(3000),
        readingIndex: null,
        payload,
        receivedAt: new Date(),
      },
      {
        source: "mqtt",
        topic: "coldchain/v1/sensors/RTS-STORE-A/readings",
        deviceId: "RTS-STORE-A",
        reasonCode: "temp_out_of_range",
        reason: "tempC must be a finite number between -90 and 70 (°C); got 71",
        readingIndex: 3,
        payload: Buffer.from('{"readings":[]}'),
        details: { rejected: [{ index: 3 }] },
        receivedAt: new Date(),
      },
    ]);
    const stored = await database.db.select().from(deadLetters).orderBy(asc(deadLetters.id));
    expect(stored).toHaveLength(2);
    expect(Buffer.compare(stored[0]?.payload ?? Buffer.alloc(0), payload)).toBe(0);
    expect(stored[0]?.topic).toHaveLength(255);
    expect(stored[0]?.reason).toHaveLength(2000);
    expect(stored[1]).toMatchObject({
      readingIndex: 3,
      deviceId: "RTS-STORE-A",
      details: { rejected: [{ index: 3 }] },
    });
  });

  it("stores one dead letter per message however often the message comes back", async () => {
    const letter = (receivedAt: Date) => ({
      source: "mqtt",
      topic: "coldchain/v1/sensors/RTS-STORE-DUP/readings",
      deviceId: "RTS-STORE-DUP",
      reasonCode: "invalid_json",
      reason: "the payload is not valid JSON",
      readingIndex: null,
      payload: Buffer.from("{not json"),
      receivedAt,
    });
    const first = new Date("2026-12-01T00:00:00Z");
    // Twice in one call (a redelivery in the same flush) and again later (after a lost ack).
    await storeDeadLetters(database.db, [letter(first), letter(new Date())]);
    await storeDeadLetters(database.db, [
      letter(new Date()),
      { ...letter(new Date()), payload: Buffer.from("{other") },
    ]);
    const stored = await database.db
      .select({ payload: deadLetters.payload, receivedAt: deadLetters.receivedAt })
      .from(deadLetters)
      .where(eq(deadLetters.deviceId, "RTS-STORE-DUP"))
      .orderBy(asc(deadLetters.id));
    expect(stored.map((row) => row.payload.toString())).toEqual(["{not json", "{other"]);
    expect(stored[0]?.receivedAt).toEqual(first);
  });

  it("keeps every status dead letter: a status carries no time, so the same bytes later are a new event", async () => {
    const status = {
      source: "mqtt",
      topic: "coldchain/v1/sensors/RTS-STORE-GONE/status",
      deviceId: "RTS-STORE-GONE",
      reasonCode: "unknown_device",
      reason: "no sensor with deviceId RTS-STORE-GONE is registered",
      readingIndex: null,
      payload: Buffer.from('{"online":true}'),
    };
    await storeDeadLetters(database.db, [{ ...status, receivedAt: new Date() }]);
    await storeDeadLetters(database.db, [{ ...status, receivedAt: new Date() }]);
    expect(await database.db.$count(deadLetters, eq(deadLetters.deviceId, "RTS-STORE-GONE"))).toBe(2);
  });
});

describe("findSensorsByDeviceIds", () => {
  it("maps registered device ids, with their active flag, and leaves unknown ones out", async () => {
    const found = await findSensorsByDeviceIds(database.db, ["RTS-STORE-A", "RTS-STORE-OFF", "NOPE", "RTS-STORE-A"]);
    expect([...found.entries()].sort()).toEqual([
      ["RTS-STORE-A", { id: sensorA.sensorId, active: true }],
      ["RTS-STORE-OFF", { id: inactive.sensorId, active: false }],
    ]);
    expect((await findSensorsByDeviceIds(database.db, [])).size).toBe(0);
  });
});
