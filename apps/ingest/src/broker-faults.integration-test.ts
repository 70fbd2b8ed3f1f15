import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { deadLetters, type OrgUnit, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { inArray } from "drizzle-orm";
import { connectAsync } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestHandle, startIngest } from "./ingest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, createDevicePublisher, testIngestConfig, waitFor } from "./testing/helpers";

/*
 * Promises B4/B5 from the broker's side: what the broker acknowledges to a device reaches the
 * database, exactly once, even when
 * - ingest is offline while a burst arrives (the per-session queue limits of
 *   config/mosquitto/rantai.conf, compared with the Mosquitto/Debian defaults that drop), and
 * - the broker itself is restarted gracefully mid-stream (persistence saved on SIGTERM).
 * Real Mosquitto, real MariaDB, ingest in-process; nothing is mocked.
 */
type Device = { deviceId: string; sensorId: number };

let database: TestDatabase;
let facility: OrgUnit;
const brokers: TestBroker[] = [];
const ingests: IngestHandle[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "brokerfaults");
  facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Depok I" });
});

afterAll(async () => {
  await Promise.all(ingests.map((ingest) => ingest.stop()));
  await Promise.all(brokers.map((broker) => broker.destroy()));
  await database?.destroy();
});

async function createDevices(prefix: string, count: number): Promise<Device[]> {
  const devices: Device[] = [];
  for (let i = 0; i < count; i += 1) {
    const deviceId = `${prefix}-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
  return devices;
}

async function startBroker(options: Parameters<typeof startTestBroker>[0] = {}): Promise<TestBroker> {
  const broker = await startTestBroker(options);
  brokers.push(broker);
  return broker;
}

async function startIngestOn(broker: TestBroker, clientId: string, connections: number): Promise<IngestHandle> {
  const ingest = await startIngest(
    testIngestConfig(
      { databaseUrl: database.url, mqttUrl: broker.url, clientId },
      { connections, noDataCheckIntervalMs: 0 },
    ),
  );
  ingests.push(ingest);
  await ingest.ready;
  return ingest;
}

/** The (sensor, ts) keys stored for these devices; the primary key makes each appear at most once. */
async function storedKeys(devices: Device[]): Promise<string[]> {
  const rows = await database.db
    .select({ sensorId: readings.sensorId, ts: readings.ts })
    .from(readings)
    .where(
      inArray(
        readings.sensorId,
        devices.map((device) => device.sensorId),
      ),
    );
  return rows.map((row) => `${row.sensorId}:${row.ts.getTime()}`);
}

const storedCount = (devices: Device[]) =>
  database.db.$count(
    readings,
    inArray(
      readings.sensorId,
      devices.map((device) => device.sensorId),
    ),
  );

const metricTotal = async (metric: IngestHandle["metrics"]["readingsStored"]) =>
  (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);

/**
 * Ingest is idle when it holds nothing and no row has been added for `quietMs`. The broker
 * pushes a session's queue right after CONNACK, so a quiet spell this long means the queues
 * are empty (or, under drop-happy limits, that what was dropped is gone for good). A slow
 * drain is not a failure: after a broker restart each connection redelivers one message at a
 * time, and on a loaded machine that can take longer than any fixed deadline. Only a stall
 * (rows neither added nor held for `stallMs`) or the overall bound fails the wait.
 */
async function waitUntilIdle(ingest: IngestHandle, devices: Device[], quietMs = 2000): Promise<number> {
  const stallMs = 30_000;
  let last = -1;
  let since = Date.now();
  let progressAt = Date.now();
  let result = 0;
  await waitFor(
    "ingest idle",
    async () => {
      const count = await storedCount(devices);
      const held = (await ingest.metrics.bufferMessages.get()).values[0]?.value ?? 0;
      if (count !== last || held > 0) {
        if (count !== last) progressAt = Date.now();
        if (Date.now() - progressAt > stallMs) throw new Error(`ingest stalled at ${count} rows, holding ${held}`);
        last = count;
        since = Date.now();
        return false;
      }
      result = count;
      return count > 0 && Date.now() - since >= quietMs;
    },
    150_000,
  );
  return result;
}

/**
 * Debian's /etc/mosquitto/mosquitto.conf sets no queue limits, so Mosquitto's built-in defaults
 * apply: 1000 messages per client, no byte cap. Throws if the template no longer has the lines,
 * so this comparison cannot silently turn into "project config vs project config".
 */
function withDebianQueueDefaults(config: string): string {
  const messages = /^max_queued_messages \d+$/m;
  const bytes = /^max_queued_bytes \d+$/m;
  if (!messages.test(config) || !bytes.test(config)) {
    throw new Error("the broker template has no max_queued_messages / max_queued_bytes lines to replace");
  }
  return config.replace(messages, "max_queued_messages 1000").replace(bytes, "max_queued_bytes 0");
}

const BURST = 2500;
const BURST_SENSORS = 6;
/** Few sessions, so each holds ~1,250 queued messages: over Mosquitto's default of 1,000. */
const BURST_CONNECTIONS = 2;

/**
 * Ingest's sessions exist (subscribed once, then a graceful stop) but nobody is connected;
 * a burst of QoS 1 readings arrives and every one is PUBACKed; then ingest comes back and
 * drains its sessions' queues. Returns what was published and what got stored.
 */
async function burstWhileIngestOffline(broker: TestBroker, devices: Device[], clientId: string) {
  const first = await startIngestOn(broker, clientId, BURST_CONNECTIONS);
  expect(await first.stop()).toEqual({ graceful: true });

  const base = Date.now() - 58 * 60_000;
  const expected = new Set<string>();
  const publisher = await connectPublisher(broker.url);
  let acked = 0;
  for (let start = 0; start < BURST; start += 100) {
    const sends: Promise<unknown>[] = [];
    for (let k = start; k < Math.min(start + 100, BURST); k += 1) {
      const device = devices[k % devices.length];
      if (!device) throw new Error("no device");
      const ts = base + k * 1000;
      expected.add(`${device.sensorId}:${ts}`);
      sends.push(
        publisher
          .publish(readingsTopic(device.deviceId), JSON.stringify({ ts, tempC: 4 + (k % 30) / 10, seq: k }))
          .then(() => {
            acked += 1;
          }),
      );
    }
    await Promise.all(sends);
  }
  await publisher.close();

  const second = await startIngestOn(broker, clientId, BURST_CONNECTIONS);
  await waitUntilIdle(second, devices);
  const stored = await storedKeys(devices);
  expect(await second.stop()).toEqual({ graceful: true });
  const log = await readFile(join(broker.dataDir, "mosquitto.log"), "utf8");
  return { acked, expected, stored, dropLogged: log.includes("Outgoing messages are being dropped for client") };
}

describe("broker queue limits", () => {
  it("the project's broker config does not drop a burst that Debian's defaults drop", async () => {
    const started = Date.now();
    const [projectBroker, debianBroker] = await Promise.all([
      startBroker(),
      startBroker({ editConfig: withDebianQueueDefaults }),
    ]);

    // The project's config: 200,000 messages / 32 MiB per session — the whole burst is kept.
    const projectDevices = await createDevices("RTS-QUEUE-PROJECT", BURST_SENSORS);
    const project = await burstWhileIngestOffline(projectBroker, projectDevices, "ingest-queue-project");
    expect(project.expected.size).toBe(BURST);
    expect(project.acked).toBe(BURST);
    expect(project.stored).toHaveLength(BURST);
    expect(new Set(project.stored)).toEqual(project.expected);
    expect(project.dropLogged).toBe(false);

    // Same template, Debian's queue defaults: every publish was PUBACKed all the same, yet each
    // session kept only ~1,000 of its ~1,250 — the rest vanished without any error to the device.
    const debianDevices = await createDevices("RTS-QUEUE-DEBIAN", BURST_SENSORS);
    const debian = await burstWhileIngestOffline(debianBroker, debianDevices, "ingest-queue-debian");
    expect(debian.acked).toBe(BURST);
    expect(debian.stored.length).toBeLessThan(BURST);
    // Not a slow drain mistaken for loss: the broker says it dropped, and what did arrive is real.
    expect(debian.dropLogged).toBe(true);
    expect(debian.stored.every((key) => debian.expected.has(key))).toBe(true);
    expect(await database.db.$count(deadLetters)).toBe(0);

    console.log(
      `burst of ${BURST} QoS 1 readings, ${BURST_CONNECTIONS} offline ingest sessions: ` +
        `project config stored ${project.stored.length}, Debian defaults stored ${debian.stored.length} ` +
        `(${BURST - debian.stored.length} PUBACKed and dropped) in ${Date.now() - started} ms`,
    );
  }, 240_000);
});

/** `[3, 4, 5, 9]` → `["3..5", "9"]`: missing readings by publish order, readable in a failure. */
function seqRanges(seqs: number[]): string[] {
  const ranges: [number, number][] = [];
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && last[1] === seq - 1) last[1] = seq;
    else ranges.push([seq, seq]);
  }
  return ranges.map(([from, to]) => (from === to ? String(from) : `${from}..${to}`));
}

const STREAM = 1500;

/*
 * Mosquitto 2.0.11 (Debian 12's package) does not bring `$share/...` subscriptions back from its
 * persistence file: after a restart ingest's sessions resume (sessionPresent) but would be sent
 * nothing more (2.0.12's changelog: "Fix $share subscriptions not being recovered for durable
 * clients that reconnect"). Ingest therefore subscribes on every connect; readings published in
 * the moment before it has are answered PUBACK 0x10 "no matching subscribers", which the sensor
 * protocol tells devices to treat as not delivered and send again (createDevicePublisher).
 */
describe("broker restart", () => {
  it("a broker restart mid-stream loses nothing and stores nothing twice", async () => {
    const started = Date.now();
    const broker = await startBroker();
    const devices = await createDevices("RTS-RESTART", 20);
    const ingest = await startIngestOn(broker, "ingest-restart-test", 3);

    // A device with a persistent session: mqtt.js keeps unacked QoS 1 publishes (and those
    // made while offline) and sends them again after reconnecting, so the device's promise
    // is "PUBACK or retry", and the broker's is "once PUBACKed, kept across a graceful restart".
    const publisher = await connectAsync(broker.url, {
      clientId: "rts-restart-publisher",
      protocolVersion: 5,
      clean: false,
      properties: { sessionExpiryInterval: 300 },
      reconnectPeriod: 200,
    });
    const sensorDevice = createDevicePublisher(publisher);
    const base = Date.now() - 50 * 60_000;
    /** (sensor, ts) → its place in the stream. */
    const expected = new Map<string, number>();
    let published = 0;
    const publishing = (async () => {
      for (let start = 0; start < STREAM; start += 25) {
        const sends: Promise<unknown>[] = [];
        for (let k = start; k < start + 25; k += 1) {
          const device = devices[k % devices.length];
          if (!device) throw new Error("no device");
          const ts = base + k * 1000;
          expected.set(`${device.sensorId}:${ts}`, k);
          const payload = JSON.stringify({ ts, tempC: 4 + (k % 30) / 10, seq: k });
          sends.push(sensorDevice.publish(readingsTopic(device.deviceId), payload));
        }
        await Promise.all(sends);
        published += 25;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    // Restart while readings sit everywhere at once: unacked at the publisher, queued and in
    // flight at the broker, held (committed or not) by ingest.
    const restarts: { published: number; stored: number; downMs: number }[] = [];
    for (const threshold of [400, 1000]) {
      await waitFor(`${threshold} published`, () => published >= threshold, 30_000);
      const at = { published, stored: await storedCount(devices) };
      const down = Date.now();
      await broker.stop("SIGTERM");
      // Down long enough for both sides to notice and the publisher to hold new readings.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await broker.restart();
      restarts.push({ ...at, downMs: Date.now() - down });
    }
    await publishing; // every publish PUBACKed, some only after a resend
    // Idle, not "count reached": a reading lost stops the count short, and redeliveries still on
    // their way must land before the counters are read.
    await waitUntilIdle(ingest, devices, 3000);
    await publisher.endAsync();

    const stored = await storedKeys(devices);
    const storedSet = new Set(stored);
    const missing = [...expected].filter(([key]) => !storedSet.has(key)).map(([, seq]) => seq);
    const restartsAt = restarts.map((restart) => `#${restart.published}`).join(", ");
    expect(published).toBe(STREAM);
    expect(seqRanges(missing), `PUBACKed readings never stored (broker restarted after ${restartsAt})`).toEqual([]);
    expect(stored).toHaveLength(STREAM);
    expect(storedSet).toEqual(new Set(expected.keys()));
    // Each reading inserted once; redeliveries (publisher resends, broker resends to ingest) are
    // counted as duplicates, never as new rows.
    expect(await metricTotal(ingest.metrics.readingsStored)).toBe(STREAM);
    expect(await database.db.$count(deadLetters)).toBe(0);
    const duplicates = await metricTotal(ingest.metrics.readingsDuplicate);
    expect(await ingest.stop()).toEqual({ graceful: true });

    console.log(
      `${sensorDevice.resent} publishes answered "no matching subscribers" and resent; broker restarts at ${restarts.map((r) => `${r.published} published / ${r.stored} stored (${r.downMs} ms down)`).join(", ")}; ` +
        `${stored.length} of ${STREAM} stored once, ${duplicates} redelivered duplicates ignored, ${Date.now() - started} ms`,
    );
  }, 240_000);
});
