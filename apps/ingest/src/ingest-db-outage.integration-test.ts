import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestHandle, startIngest } from "./ingest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, metricValue, testIngestConfig, waitFor } from "./testing/helpers";
import { startTcpProxy } from "./testing/tcp-proxy";

/*
 * Promises B3/B8: while the database is unreachable nothing is acked; flushes retry with
 * backoff, /ready says 503, /health stays 200 (no restart loop), memory holds one message per
 * connection; afterwards every reading is stored exactly once.
 */
let broker: TestBroker;
let database: TestDatabase;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let ingest: IngestHandle;
const devices: { deviceId: string; sensorId: number }[] = [];
const CONNECTIONS = 3;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([startTestBroker(), createTestDatabase(services.mysqlServerUrl, "outage")]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Mlati I" });
  for (let i = 0; i < 10; i += 1) {
    const deviceId = `RTS-OUTAGE-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
  const url = new URL(database.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 3306) });
  url.port = String(proxy.port);
  ingest = await startIngest(
    testIngestConfig(
      { databaseUrl: url.toString(), mqttUrl: broker.url, clientId: "ingest-outage-test" },
      { connections: CONNECTIONS },
    ),
  );
  await ingest.ready;
});

afterAll(async () => {
  await ingest?.stop();
  await proxy?.close();
  await database?.destroy();
  await broker?.destroy();
});

const http = (path: string) => fetch(`http://127.0.0.1:${ingest.port}${path}`);

describe("database outage", () => {
  it("holds messages unacked, retries, and stores every reading once when the database is back", async () => {
    const publisher = await connectPublisher(broker.url);
    const base = Date.now() - 30 * 60_000;
    const expected = new Set<string>();
    const publishBatch = async (from: number, to: number) => {
      const sends: Promise<unknown>[] = [];
      for (let k = from; k < to; k += 1) {
        const device = devices[k % devices.length];
        if (!device) throw new Error("no device");
        const ts = base + k * 1000;
        expected.add(`${device.sensorId}:${ts}`);
        sends.push(publisher.publish(readingsTopic(device.deviceId), JSON.stringify({ ts, tempC: 5, seq: k })));
      }
      await Promise.all(sends);
    };

    await publishBatch(0, 100);
    await waitFor("first 100 stored", async () => (await database.db.$count(readings)) === 100);

    proxy.cut();
    await publishBatch(100, 300); // the broker accepts them; ingest cannot commit
    await waitFor("a failed flush", async () =>
      ingest.metrics.flushFailures.get().then((m) => (m.values[0]?.value ?? 0) >= 2),
    );
    const ready = await http("/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: false });
    expect((await http("/health")).status).toBe(200);
    const during = await (await http("/metrics")).text();
    // One held message per connection, the rest wait in the broker's queue.
    expect(metricValue(during, "rantai_ingest_buffer_messages")).toBeLessThanOrEqual(CONNECTIONS);
    expect(metricValue(during, "rantai_ingest_readings_stored_total")).toBe(100);
    await new Promise((resolve) => setTimeout(resolve, 2000));

    proxy.restore();
    await waitFor("all 300 stored", async () => (await database.db.$count(readings)) === 300, 30_000);
    const rows = await database.db.select({ sensorId: readings.sensorId, ts: readings.ts }).from(readings);
    expect(new Set(rows.map((row) => `${row.sensorId}:${row.ts.getTime()}`))).toEqual(expected);
    expect((await http("/ready")).status).toBe(200);
    const after = await (await http("/metrics")).text();
    expect(metricValue(after, "rantai_ingest_flush_failures_total")).toBeGreaterThanOrEqual(2);
    expect(metricValue(after, "rantai_ingest_readings_stored_total")).toBe(300);
    await publisher.close();
  });
});
