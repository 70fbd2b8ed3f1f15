import { readingsTopic, statusTopic } from "@rantai/core/coldchain/sensor-protocol";
import { createLogger } from "@rantai/core/kernel/logger";
import { deadLetters, readings, sensorStates, sensors } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestHandle, startIngest } from "./ingest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, metricValue, testIngestConfig, waitFor } from "./testing/helpers";

let broker: TestBroker;
let database: TestDatabase;
let ingest: IngestHandle;
let publisher: Awaited<ReturnType<typeof connectPublisher>>;
const ids = { a: 0, b: 0, c: 0 };
const logLines: string[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([startTestBroker(), createTestDatabase(services.mysqlServerUrl, "ingest")]);
  const district = await createOrgUnit(database.db, { parent: null, level: "district", name: "Kabupaten Sleman" });
  const facility = await createOrgUnit(database.db, { parent: district, level: "facility", name: "Puskesmas Depok I" });
  ids.a = (await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-ING-A" })).sensorId;
  ids.b = (await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-ING-B" })).sensorId;
  ids.c = (await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-ING-C" })).sensorId;
  const off = await createFridgeWithSensor(database.db, { facility, deviceId: "RTS-ING-OFF" });
  await database.db.update(sensors).set({ active: false }).where(eq(sensors.id, off.sensorId));

  ingest = await startIngest(
    testIngestConfig(
      {
        databaseUrl: database.url,
        mqttUrl: broker.url,
        clientId: `ingest-test-${Math.random().toString(16).slice(2, 8)}`,
      },
      {
        databasePoolSize: 4,
        connections: 3,
        batchMaxWaitMs: 50,
        shutdownTimeoutMs: 10_000,
        logger: createLogger({
          service: "ingest",
          base: { test: "ingest" },
          destination: { write: (line) => logLines.push(line) },
        }),
      },
    ),
  );
  await ingest.ready;
  publisher = await connectPublisher(broker.url);
});

afterAll(async () => {
  await publisher?.close();
  await ingest?.stop();
  await database?.destroy();
  await broker?.destroy();
});

const http = (path: string) => fetch(`http://127.0.0.1:${ingest.port}${path}`);
const metrics = async () => (await http("/metrics")).text();
const readingCount = (sensorId: number) => database.db.$count(readings, eq(readings.sensorId, sensorId));
const deadLetterRows = () => database.db.select().from(deadLetters).orderBy(asc(deadLetters.id));
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("ingest, end to end through Mosquitto into MariaDB", () => {
  const singles = [3, 2, 1].map((minutes, i) => ({ ts: minutesAgo(minutes).toISOString(), tempC: 4 + i / 10, seq: i }));

  it("stores single readings once and keeps sensor_states at the latest device time", async () => {
    for (const reading of singles) await publisher.publish(readingsTopic("RTS-ING-A"), JSON.stringify(reading));
    await waitFor("3 readings of A", async () => (await readingCount(ids.a)) === 3);
    const [state] = await database.db.select().from(sensorStates).where(eq(sensorStates.sensorId, ids.a));
    expect(state?.lastReadingAt.toISOString()).toBe(singles[2]?.ts);
    expect(state?.lastTempCentiC).toBe(420);
  });

  it("treats redelivered readings as no-ops", async () => {
    // An older one published after the newest must not move the state back either.
    for (const reading of [...singles].reverse()) {
      await publisher.publish(readingsTopic("RTS-ING-A"), JSON.stringify(reading));
    }
    await waitFor(
      "3 duplicates counted",
      async () => metricValue(await metrics(), "rantai_ingest_readings_duplicate_total") === 3,
    );
    expect(await readingCount(ids.a)).toBe(3);
    const [state] = await database.db.select().from(sensorStates).where(eq(sensorStates.sensorId, ids.a));
    expect(state?.lastTempCentiC).toBe(420);
  });

  it("stores a 1000-reading out-of-order batch with a duplicate and a bad reading inside", async () => {
    const batch: Record<string, unknown>[] = Array.from({ length: 1000 }, (_, i) => ({
      ts: minutesAgo(1200 - i).getTime(),
      tempC: Math.round((3 + (i % 50) / 10) * 100) / 100,
      batteryPct: 90,
      seq: i,
      firmware: "2.4.1",
    }));
    const latest = batch[999];
    batch[500] = { ...batch[10] }; // a duplicate of reading 10 inside the same message
    batch[700] = { ts: minutesAgo(5).getTime(), tempC: "warm" }; // the bad one
    // Out of order: a fixed shuffle, indexes recomputed below.
    const order = batch.map((_, i) => (i * 7919) % 1000);
    const shuffled = order.map((i) => batch[i]);
    const badIndex = order.indexOf(700);

    const flushSecondsBefore = metricValue(await metrics(), "rantai_ingest_flush_seconds_sum");
    const started = performance.now();
    await publisher.publish(readingsTopic("RTS-ING-B"), JSON.stringify({ readings: shuffled }));
    await waitFor("998 readings of B", async () => (await readingCount(ids.b)) === 998);
    // Rows become visible to other connections a moment before ingest hears the commit and counts.
    await waitFor(
      "the batch's duplicate counted",
      async () => metricValue(await metrics(), "rantai_ingest_readings_duplicate_total") === 4,
    );
    const elapsedMs = Math.round(performance.now() - started);
    const flushMs = Math.round(
      (metricValue(await metrics(), "rantai_ingest_flush_seconds_sum") - flushSecondsBefore) * 1000,
    );
    console.log(
      `1000-reading batch (${JSON.stringify({ readings: shuffled }).length} bytes): published → committed in ${elapsedMs} ms (flush ${flushMs} ms)`,
    );

    const dead = (await deadLetterRows()).filter((row) => row.deviceId === "RTS-ING-B");
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      reasonCode: "invalid_temp",
      readingIndex: badIndex,
      reason: 'tempC must be a finite number between -90 and 70 (°C); got "warm"',
    });
    const [state] = await database.db.select().from(sensorStates).where(eq(sensorStates.sensorId, ids.b));
    expect(state?.lastReadingAt.getTime()).toBe(latest?.ts);
    const text = await metrics();
    expect(metricValue(text, "rantai_ingest_readings_duplicate_total")).toBe(4);
    expect(metricValue(text, "rantai_ingest_readings_rejected_total", { code: "invalid_temp" })).toBe(1);
  });

  it("dead-letters garbage, unknown and inactive devices and bad topics, and carries on", async () => {
    const garbage = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x7b]);
    await publisher.publish(readingsTopic("RTS-ING-A"), garbage);
    await publisher.publish(readingsTopic("RTS-NOPE-1"), JSON.stringify({ ts: Date.now(), tempC: 5 }));
    await publisher.publish(readingsTopic("RTS-ING-OFF"), JSON.stringify({ ts: Date.now(), tempC: 5 }));
    await publisher.publish(`coldchain/v1/sensors/${"x".repeat(70)}/readings`, "{}");
    await publisher.publish(readingsTopic("RTS-ING-A"), JSON.stringify({ ts: Date.now(), tempC: 5.5 }));
    await waitFor("5 dead letters", async () => (await deadLetterRows()).length === 5);
    await waitFor("A's fourth reading", async () => (await readingCount(ids.a)) === 4);

    const byCode = new Map((await deadLetterRows()).map((row) => [row.reasonCode, row]));
    expect(Buffer.compare(byCode.get("invalid_encoding")?.payload ?? Buffer.alloc(0), garbage)).toBe(0);
    expect(byCode.get("invalid_encoding")).toMatchObject({ deviceId: "RTS-ING-A", readingIndex: null, source: "mqtt" });
    expect(byCode.get("unknown_device")).toMatchObject({ deviceId: "RTS-NOPE-1" });
    expect(byCode.get("unknown_device")?.reason).toContain("register it in Rantai");
    expect(byCode.get("inactive_device")).toMatchObject({ deviceId: "RTS-ING-OFF" });
    expect(byCode.get("topic_mismatch")).toMatchObject({ deviceId: null });
  });

  it("applies status messages to sensor_states, skipping sensors without a reading", async () => {
    await publisher.publish(statusTopic("RTS-ING-A"), JSON.stringify({ online: false }), true);
    await publisher.publish(statusTopic("RTS-ING-C"), JSON.stringify({ online: true }), true);
    await waitFor("A offline", async () => {
      const [state] = await database.db.select().from(sensorStates).where(eq(sensorStates.sensorId, ids.a));
      return state?.online === false && state.onlineChangedAt !== null;
    });
    await waitFor(
      "C skipped",
      async () => metricValue(await metrics(), "rantai_ingest_status_total", { result: "skipped_no_state" }) === 1,
    );
    expect(await database.db.$count(sensorStates, eq(sensorStates.sensorId, ids.c))).toBe(0);
  });

  it("accounts for every reading in the metrics and answers the probes", async () => {
    const text = await metrics();
    const stored = await database.db.$count(readings);
    expect(metricValue(text, "rantai_ingest_readings_stored_total")).toBe(stored);
    const rejected = ["invalid_temp", "invalid_encoding", "unknown_device", "inactive_device", "topic_mismatch"].map(
      (code) => metricValue(text, "rantai_ingest_readings_rejected_total", { code }),
    );
    expect(rejected).toEqual([1, 1, 1, 1, 1]);
    const received = metricValue(text, "rantai_ingest_readings_received_total");
    const duplicates = metricValue(text, "rantai_ingest_readings_duplicate_total");
    expect(received).toBe(stored + duplicates + 5);
    expect(metricValue(text, "rantai_ingest_dead_letters_total")).toBe(5);
    expect(metricValue(text, "rantai_ingest_connected_connections")).toBe(3);
    expect(metricValue(text, "rantai_ingest_buffer_messages")).toBe(0);
    expect(metricValue(text, "rantai_ingest_flush_seconds_count")).toBeGreaterThan(0);

    // A watcher polling one counter gets just that metric (no process metrics collected).
    const one = await (await http("/metrics?name[]=rantai_ingest_readings_stored_total&name[]=no_such_metric")).text();
    expect(metricValue(one, "rantai_ingest_readings_stored_total")).toBe(stored);
    expect(one).not.toContain("rantai_ingest_process_");
    expect(one).not.toContain("rantai_ingest_dead_letters_total");

    const health = await http("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, loopAlive: true, connections: expect.any(Array) });
    const ready = await http("/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, database: true, connected: 3 });
  });

  it("stops once, however often stop() is called", async () => {
    const [first, second] = await Promise.all([ingest.stop(), ingest.stop()]);
    expect(first).toEqual({ graceful: true });
    expect(second).toBe(first);
    await expect(http("/health")).rejects.toThrow();
    expect(logLines.some((line) => line.includes('"msg":"ingest_stopped"'))).toBe(true);
  });
});
