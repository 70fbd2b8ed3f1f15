import type { ChildProcess } from "node:child_process";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { type AlarmType, alarms, notificationOutbox, type OrgUnit, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestConfig, type IngestHandle, startIngest } from "./ingest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, metricValue, startIngestChild, testIngestConfig, waitFor } from "./testing/helpers";

/*
 * Promises C1–C4 end to end: readings published to a private Mosquitto, ingest (in process, or
 * as a child process killed with SIGKILL) storing them and raising alarms by device time.
 *
 * Mosquitto hands shared-subscription messages round-robin to every session of the group,
 * offline ones included (see docs/sensor-protocol.md), so instances are never stopped for
 * good mid-file: the main instance's client id is taken over by the child process of the
 * restart test and then resumed, and the second instance joins for C4 and stays.
 */
const MAIN_CLIENT_ID = "ingest-alarm-main";
const MIN = 60_000;
const HOUR = 60 * MIN;

let broker: TestBroker;
let database: TestDatabase;
let publisher: Awaited<ReturnType<typeof connectPublisher>>;
let facility: OrgUnit;
const running: IngestHandle[] = [];
let child: ChildProcess | null = null;
let main: IngestHandle;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([
    startTestBroker(),
    createTestDatabase(services.mysqlServerUrl, "alarmingest"),
  ]);
  const district = await createOrgUnit(database.db, { parent: null, level: "district", name: "Kabupaten Sleman" });
  facility = await createOrgUnit(database.db, { parent: district, level: "facility", name: "Puskesmas Depok I" });
  publisher = await connectPublisher(broker.url);
  main = await startInProcess(MAIN_CLIENT_ID);
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await publisher?.close();
  await Promise.all(running.map((ingest) => ingest.stop()));
  await database?.destroy();
  await broker?.destroy();
});

async function startInProcess(clientId: string, overrides: Partial<IngestConfig> = {}): Promise<IngestHandle> {
  const ingest = await startIngest(
    testIngestConfig(
      { databaseUrl: database.url, mqttUrl: broker.url, clientId },
      // Every replica checks for silent sensors, here every 100 ms.
      { shutdownTimeoutMs: 10_000, noDataCheckIntervalMs: 100, ...overrides },
    ),
  );
  running.push(ingest);
  await ingest.ready;
  return ingest;
}

const newSensor = (deviceId: string) => createFridgeWithSensor(database.db, { facility, deviceId });

type Reading = { ts: number; tempC: number; batteryPct?: number };
const publishOne = (deviceId: string, reading: Reading) =>
  publisher.publish(readingsTopic(deviceId), JSON.stringify(reading));
const stored = (sensorId: number) => database.db.$count(readings, eq(readings.sensorId, sensorId));
const alarmsOf = (sensorId: number, type: AlarmType) =>
  database.db
    .select()
    .from(alarms)
    .where(and(eq(alarms.sensorId, sensorId), eq(alarms.type, type)))
    .orderBy(asc(alarms.id));
const eventKinds = async (alarmIds: readonly number[]) =>
  alarmIds.length === 0
    ? []
    : (
        await database.db
          .select({ kind: notificationOutbox.kind, alarmId: notificationOutbox.aggregateId })
          .from(notificationOutbox)
          .where(
            inArray(
              notificationOutbox.aggregateId,
              alarmIds.map((id) => String(id)),
            ),
          )
          .orderBy(asc(notificationOutbox.id))
      ).map((row) => row.kind);

/** Readings 10 min apart from `start`. */
const series = (start: number, temps: readonly number[]): Reading[] =>
  temps.map((tempC, i) => ({ ts: start + i * 10 * MIN, tempC }));
const repeat = (value: number, n: number) => Array.from({ length: n }, () => value);

describe("alarms from the MQTT stream, by device time", () => {
  it("a 10-h heat excursion fires at exactly 10 h and resolves when back in range (C1)", async () => {
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-HEAT");
    // Reading 60 (10 h after the first) is 11 min old when published: on time.
    const base = Date.now() - 10 * HOUR - 11 * MIN;
    const readingsToSend = series(base, [...repeat(8.6, 20), 9.8, ...repeat(8.6, 40), 4.5]);

    for (const reading of readingsToSend.slice(0, 60)) await publishOne(deviceId, reading);
    await waitFor("60 readings", async () => (await stored(sensorId)) === 60);
    expect(await alarmsOf(sensorId, "heat")).toEqual([]); // 9 h 50 min: not yet

    await publishOne(deviceId, readingsToSend[60] as Reading);
    await waitFor("heat alarm", async () => (await alarmsOf(sensorId, "heat")).length === 1);
    expect((await alarmsOf(sensorId, "heat"))[0]).toMatchObject({
      status: "open",
      startedAt: new Date(base),
      lastOutOfRangeAt: new Date(base + 10 * HOUR),
      durationSeconds: 36_000,
      peakCentiC: 980,
      detectedLate: false,
    });

    await publishOne(deviceId, readingsToSend[61] as Reading);
    await waitFor("resolved", async () => (await alarmsOf(sensorId, "heat"))[0]?.status === "resolved");
    const [heat] = await alarmsOf(sensorId, "heat");
    expect(heat).toMatchObject({ endedAt: new Date(base + 10 * HOUR + 10 * MIN), liveKey: null });
    expect(await eventKinds(heat ? [heat.id] : [])).toEqual(["alarm.opened", "alarm.resolved"]);
    const [opened] = await database.db
      .select()
      .from(notificationOutbox)
      .where(eq(notificationOutbox.eventKey, `alarm:${heat?.id}:opened`));
    expect(opened?.payload).toMatchObject({
      alarmAt: new Date(base + 10 * HOUR).toISOString(),
      startedAt: new Date(base).toISOString(),
      peak: 9.8,
      sensor: { deviceId },
    });

    const text = await (await fetch(`http://127.0.0.1:${main.port}/metrics`)).text();
    expect(metricValue(text, "rantai_ingest_alarms_opened_total", { type: "heat" })).toBe(1);
    expect(metricValue(text, "rantai_ingest_alarm_open_delay_seconds_count")).toBeGreaterThanOrEqual(1);
  });

  it("a worker killed 9 h into the excursion still fires at the right device time after restart (C3)", async () => {
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-KILL");
    const base = Date.now() - 10 * HOUR - 11 * MIN;
    const readingsToSend = series(base, [...repeat(9.1, 61), 6]);

    // The worker is a child process now, with the main instance's client id (its sessions).
    await main.stop();
    child = await startChild();
    const first = readingsToSend.slice(0, 55); // up to 9 h
    await Promise.all(first.map((reading) => publishOne(deviceId, reading)));
    // Kill as soon as part of it is stored: the rest is unacked, queued or in flight.
    await waitFor("part of the first 9 h stored", async () => (await stored(sensorId)) >= 30);
    await stopChild("SIGKILL");
    console.log(`killed with ${await stored(sensorId)} of the first 55 readings stored`);
    expect(await alarmsOf(sensorId, "heat")).toEqual([]);

    child = await startChild();
    for (const reading of readingsToSend.slice(55)) await publishOne(deviceId, reading);
    await waitFor("all 62 stored", async () => (await stored(sensorId)) === 62, 30_000);
    await waitFor("resolved", async () => (await alarmsOf(sensorId, "heat"))[0]?.status === "resolved");
    await stopChild("SIGTERM");
    main = await startInProcess(MAIN_CLIENT_ID);

    const heatAlarms = await alarmsOf(sensorId, "heat");
    expect(heatAlarms).toHaveLength(1);
    expect(heatAlarms[0]).toMatchObject({
      startedAt: new Date(base),
      lastOutOfRangeAt: new Date(base + 10 * HOUR),
      endedAt: new Date(base + 10 * HOUR + 10 * MIN),
      durationSeconds: 36_000,
      detectedLate: false,
    });
    const [opened] = await database.db
      .select()
      .from(notificationOutbox)
      .where(eq(notificationOutbox.eventKey, `alarm:${heatAlarms[0]?.id}:opened`));
    expect(opened?.payload).toMatchObject({ alarmAt: new Date(base + 10 * HOUR).toISOString() });
  }, 120_000);

  it("a 12-h buffer flushed late and shuffled gives the right excursion, late; a late in-range reading retracts it (C2)", async () => {
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-LATE");
    const start = Date.now() - 13 * HOUR;
    // 30 min in range, 63 readings above +8 °C (10 h 20 min, peak +11.0 °C), 1 h in range.
    const buffer = series(start, [4, 4, 4, ...repeat(9, 40), 11, ...repeat(9.5, 22), ...repeat(5, 6)]);
    const shuffled = buffer
      .map((reading, i) => ({ reading, key: (i * 7919) % 101 }))
      .sort((a, b) => a.key - b.key)
      .map(({ reading }) => reading);
    await publisher.publish(readingsTopic(deviceId), JSON.stringify({ readings: shuffled }));
    await waitFor("late heat alarm", async () => (await alarmsOf(sensorId, "heat")).length === 1);

    const [heat] = await alarmsOf(sensorId, "heat");
    expect(heat).toMatchObject({
      status: "resolved",
      detectedLate: true,
      startedAt: new Date(start + 30 * MIN),
      lastOutOfRangeAt: new Date(start + 30 * MIN + 62 * 10 * MIN), // 10 h 20 min
      endedAt: new Date(start + 30 * MIN + 63 * 10 * MIN),
      durationSeconds: 62 * 600,
      peakCentiC: 1100,
      minCentiC: 900,
    });
    expect(await eventKinds(heat ? [heat.id] : [])).toEqual(["alarm.late", "alarm.resolved"]);

    // The logger's clock glitch is corrected: one in-range reading from the middle of the run.
    await publishOne(deviceId, { ts: start + 5 * HOUR + 5 * MIN, tempC: 6.5 });
    await waitFor("retracted", async () => (await alarmsOf(sensorId, "heat"))[0]?.status === "retracted");
    const [retracted, ...more] = await alarmsOf(sensorId, "heat");
    expect(more).toEqual([]);
    expect(retracted).toMatchObject({ id: heat?.id, liveKey: null, startedAt: heat?.startedAt });
    expect(await eventKinds(heat ? [heat.id] : [])).toEqual(["alarm.late", "alarm.resolved", "alarm.retracted"]);

    const text = await (await fetch(`http://127.0.0.1:${main.port}/metrics`)).text();
    expect(metricValue(text, "rantai_ingest_alarms_opened_late_total", { type: "heat" })).toBe(1);
    expect(metricValue(text, "rantai_ingest_alarm_slow_path_total")).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, "rantai_ingest_alarms_retracted_total")).toBeGreaterThanOrEqual(1);
  });

  it("two ingest instances sharing the subscription raise exactly one alarm for a sensor (C4)", async () => {
    const a = main;
    const b = await startInProcess("ingest-alarm-second"); // stays until the end of the file
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-SHARED");
    const base = Date.now() - 11 * HOUR;
    const readingsToSend = series(base, [...repeat(9, 30), 10.4, ...repeat(9, 35), 5]);
    // All at once, each its own message: spread round-robin over both instances' four sessions.
    await Promise.all(readingsToSend.map((reading) => publishOne(deviceId, reading)));
    await waitFor("all stored", async () => (await stored(sensorId)) === readingsToSend.length);
    await waitFor("resolved", async () =>
      (await alarmsOf(sensorId, "heat")).some((alarm) => alarm.status === "resolved"),
    );

    const heatAlarms = (await alarmsOf(sensorId, "heat")).filter((alarm) => alarm.status !== "retracted");
    expect(heatAlarms).toHaveLength(1);
    expect(heatAlarms[0]).toMatchObject({
      startedAt: new Date(base),
      lastOutOfRangeAt: new Date(base + 65 * 10 * MIN),
      endedAt: new Date(base + 66 * 10 * MIN),
      peakCentiC: 1040,
    });
    const all = await alarmsOf(sensorId, "heat");
    const announced = (await eventKinds(all.map((alarm) => alarm.id))).filter((kind) => /opened|late/.test(kind));
    expect(announced).toHaveLength(1);

    const storedBy = async (ingest: IngestHandle) =>
      metricValue(
        await (await fetch(`http://127.0.0.1:${ingest.port}/metrics`)).text(),
        "rantai_ingest_readings_stored_total",
      );
    expect(await storedBy(a)).toBeGreaterThan(0);
    expect(await storedBy(b)).toBeGreaterThan(0);
  });

  it("LOW_BATTERY opens below 20 % and clears only at 25 %", async () => {
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-BATT");
    const base = Date.now() - HOUR;
    const levels = [30, 19, 22, 24, 25, 21];
    for (const [i, batteryPct] of levels.entries()) {
      await publishOne(deviceId, { ts: base + i * 5 * MIN, tempC: 5, batteryPct });
      await waitFor(`reading ${i}`, async () => (await stored(sensorId)) === i + 1);
      const [alarm] = await alarmsOf(sensorId, "low_battery");
      const expected = i === 0 ? undefined : i < 4 ? "open" : "resolved";
      expect(alarm?.status, `after ${batteryPct} %`).toBe(expected);
    }
    expect(await alarmsOf(sensorId, "low_battery")).toHaveLength(1);
  });

  it("NO_DATA opens after silence (device time vs server clock) and resolves when data returns", async () => {
    // Both running instances check every 100 ms.
    const { sensorId, deviceId } = await newSensor("RTS-ALARM-SILENT");
    await publishOne(deviceId, { ts: Date.now() - 61 * MIN, tempC: 5 });
    await waitFor("first reading", async () => (await stored(sensorId)) === 1);
    await waitFor("no-data alarm", async () => (await alarmsOf(sensorId, "no_data")).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // several more checks on both replicas
    const [open, ...more] = await alarmsOf(sensorId, "no_data");
    expect(more).toEqual([]);
    expect(open).toMatchObject({ status: "open", liveKey: `${sensorId}:no_data` });

    const back = Date.now();
    await publishOne(deviceId, { ts: back, tempC: 5 });
    await waitFor("resolved", async () => (await alarmsOf(sensorId, "no_data"))[0]?.status === "resolved");
    expect((await alarmsOf(sensorId, "no_data"))[0]).toMatchObject({ endedAt: new Date(back), liveKey: null });
    expect(await eventKinds(open ? [open.id] : [])).toEqual(["alarm.opened", "alarm.resolved"]);
  });
});

function startChild(): Promise<ChildProcess> {
  return startIngestChild({
    databaseUrl: database.url,
    brokerUrl: broker.url,
    clientId: MAIN_CLIENT_ID,
    connections: 2,
    output: [],
  });
}

async function stopChild(signal: "SIGKILL" | "SIGTERM"): Promise<void> {
  const stopping = child;
  child = null;
  if (!stopping || stopping.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => stopping.once("exit", () => resolve()));
  stopping.kill(signal);
  await exited;
}
