import { createManualClock } from "@rantai/core/coldchain/alarms";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { earlyWarnings, notificationOutbox, type OrgUnit, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestHandle, startIngest } from "./ingest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, metricValue, testIngestConfig, waitFor } from "./testing/helpers";

/*
 * The early warning end to end: readings published one a minute to a private Mosquitto, stored
 * by ingest's flush, which opens an early warning while a fridge heads out of +2…+8 °C and ends
 * it at the breach, with its notices in notification_outbox. The server clock follows the device
 * time (each reading arrives 20 s after it was taken), as it would live.
 */
const MIN = 60_000;

let broker: TestBroker;
let database: TestDatabase;
let publisher: Awaited<ReturnType<typeof connectPublisher>>;
let facility: OrgUnit;
let ingest: IngestHandle;
// Eight hours ago, on the minute: the day's partitions hold it, and the clock is set per reading.
const start = Math.floor((Date.now() - 8 * 60 * MIN) / MIN) * MIN;
const clock = createManualClock(start);

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([startTestBroker(), createTestDatabase(services.mysqlServerUrl, "earlywarn")]);
  const district = await createOrgUnit(database.db, { parent: null, level: "district", name: "Kabupaten Sleman" });
  facility = await createOrgUnit(database.db, { parent: district, level: "facility", name: "Puskesmas Depok I" });
  publisher = await connectPublisher(broker.url);
  ingest = await startIngest(
    testIngestConfig(
      { databaseUrl: database.url, mqttUrl: broker.url, clientId: "ingest-early-warning" },
      { noDataCheckIntervalMs: 0, clock },
    ),
  );
  await ingest.ready;
});

afterAll(async () => {
  await publisher?.close();
  await ingest?.stop();
  await database?.destroy();
  await broker?.destroy();
});

const NOISE_CENTI = [0, 3, -2, 1, -3, 2];

/** Publishes one reading a minute from `from` (epoch ms), each stored before the next is sent. */
async function publishMinutes(deviceId: string, sensorId: number, from: number, temps: readonly number[]) {
  for (const [minute, tempC] of temps.entries()) {
    const ts = from + minute * MIN;
    clock.set(ts + 20_000);
    const noisy = Math.round(tempC * 100 + (NOISE_CENTI[minute % NOISE_CENTI.length] ?? 0)) / 100;
    await publisher.publish(readingsTopic(deviceId), JSON.stringify({ ts, tempC: noisy }));
    await waitFor(`reading ${minute} of ${deviceId}`, async () => {
      const [row] = await database.db
        .select({ ts: readings.ts })
        .from(readings)
        .where(and(eq(readings.sensorId, sensorId), eq(readings.ts, new Date(ts))));
      return row !== undefined;
    });
  }
}

const minutes = (count: number, tempC: (minute: number) => number) => Array.from({ length: count }, (_, i) => tempC(i));
/** A power cut: from 4.5 °C towards 28 °C with a 6-hour time constant (about 3.9 °C/h at first). */
const powerCut = (count: number) => minutes(count, (minute) => 28 - 23.5 * Math.exp(-minute / 360));

const warningsOf = (sensorId: number) =>
  database.db.select().from(earlyWarnings).where(eq(earlyWarnings.sensorId, sensorId)).orderBy(asc(earlyWarnings.id));
const noticesOf = async (warningIds: readonly number[]) =>
  (
    await database.db
      .select({
        kind: notificationOutbox.kind,
        aggregateId: notificationOutbox.aggregateId,
        payload: notificationOutbox.payload,
      })
      .from(notificationOutbox)
      .where(like(notificationOutbox.kind, "early_warning.%"))
      .orderBy(asc(notificationOutbox.id))
  ).filter((notice) => warningIds.includes(Number(notice.aggregateId)));

describe("early warning through ingest's flush", () => {
  it("opens one warning per warm episode, ahead of the breach, and ends it at the breach", async () => {
    const fridge = await createFridgeWithSensor(database.db, {
      facility,
      deviceId: "RTS-EW-WARM",
      name: "Lemari es vaksin",
    });
    const episode = [...minutes(45, () => 4.5), ...powerCut(75), ...minutes(15, () => 9)];
    // Two power cuts, the fridge cooled back to +4.5 °C between them.
    const temps = [...episode, ...minutes(60, (minute) => Math.max(4.5, 9 - minute * 0.2)), ...episode];
    await publishMinutes("RTS-EW-WARM", fridge.sensorId, start, temps);

    const rows = await warningsOf(fridge.sensorId);
    expect(rows.map((row) => [row.side, row.status, row.liveKey])).toEqual([
      ["upper", "breached", null],
      ["upper", "breached", null],
    ]);
    for (const row of rows) {
      const endedAt = row.endedAt?.getTime() ?? 0;
      // Opened at least 20 minutes before the first reading above +8 °C ended it.
      expect(endedAt - row.openedAt.getTime()).toBeGreaterThanOrEqual(20 * MIN);
      expect(row.tempCentiC).toBeLessThan(800);
      expect(row.predictedBreachAt.getTime()).toBeLessThanOrEqual(endedAt + 5 * MIN);
    }
    const notices = await noticesOf(rows.map((row) => row.id));
    expect(notices.map((notice) => notice.kind)).toEqual([
      "early_warning.opened",
      "early_warning.ended",
      "early_warning.opened",
      "early_warning.ended",
    ]);
    expect(notices[0]?.payload).toMatchObject({
      event: "opened",
      status: "open",
      side: "upper",
      limitC: 8,
      facility: { id: facility.id, name: "Puskesmas Depok I" },
      equipment: { id: fridge.equipmentId, name: "Lemari es vaksin" },
      sensor: { id: fridge.sensorId, deviceId: "RTS-EW-WARM" },
    });
    const opened = notices[0]?.payload as { minutesLeft: number; tempC: number };
    expect(opened.minutesLeft).toBeGreaterThanOrEqual(15);
    expect(opened.minutesLeft).toBeLessThanOrEqual(90);
    expect(opened.tempC).toBeGreaterThan(5);
    expect(notices[1]?.payload).toMatchObject({ event: "ended", status: "breached" });

    // Redelivered readings (a device resending its buffer) change nothing.
    const before = await warningsOf(fridge.sensorId);
    await publisher.publish(
      readingsTopic("RTS-EW-WARM"),
      JSON.stringify({ readings: temps.slice(40, 80).map((tempC, i) => ({ ts: start + (40 + i) * MIN, tempC })) }),
    );
    await publishMinutes("RTS-EW-WARM", fridge.sensorId, start + temps.length * MIN, [9]);
    expect(await warningsOf(fridge.sensorId)).toEqual(
      before.map((row) => ({ ...row, updatedAt: expect.any(Date) as unknown as Date })),
    );
    const metrics = await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text();
    expect(metricValue(metrics, "rantai_ingest_early_warnings_total", { event: "opened" })).toBeGreaterThanOrEqual(2);
  });

  it("warns before a fridge cools below +2 °C", async () => {
    const fridge = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-EW-COLD" });
    // A thermostat stuck on: towards −3 °C with a 2.5-hour time constant (about 3 °C/h at first).
    const temps = [...minutes(30, () => 4.5), ...minutes(80, (minute) => -3 + 7.5 * Math.exp(-minute / 150))];
    await publishMinutes("RTS-EW-COLD", fridge.sensorId, start, temps);
    const rows = await warningsOf(fridge.sensorId);
    expect(rows.map((row) => [row.side, row.status, row.limitCentiC])).toEqual([["lower", "breached", 200]]);
  });

  it("never warns for a steady fridge, door openings included", async () => {
    const fridge = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-EW-STEADY" });
    // A warm clinic morning: +5.2 °C, and the door opened every 9 minutes (+0.5 °C, fading in ~5 minutes).
    const door = (minute: number) => {
      let heat = 0;
      for (let opening = 0; opening <= minute; opening += 9) heat += 0.5 * Math.exp(-(minute - opening) / 5);
      return heat;
    };
    await publishMinutes(
      "RTS-EW-STEADY",
      fridge.sensorId,
      start,
      minutes(180, (minute) => 5.2 + door(minute)),
    );
    expect(await warningsOf(fridge.sensorId)).toEqual([]);
  });
});
