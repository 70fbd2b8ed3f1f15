import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { deadLetters, type OrgUnit, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { inArray } from "drizzle-orm";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TConfirmation } from "./confirmation";
import { type IngestHandle, startIngest } from "./ingest";
import { BROKER_TEMPLATE, startTestBroker, type TestBroker } from "./testing/broker";
import { createDevicePublisher, testIngestConfig, waitFor } from "./testing/helpers";

/*
 * The broker killed with SIGKILL (no final save), then started again from its persistence file.
 *
 * Devices in confirmed mode (docs/sensor-protocol.md, "Storage confirmation") keep each reading
 * until ingest confirms it stored, so across the same kills every reading they send is stored
 * exactly once. Plain devices, which trust the PUBACK, measure what the broker itself loses:
 * Mosquitto 2.0 persists by snapshot: every `autosave_interval` seconds it writes its whole
 * state, and nothing in between. So what it PUBACKed after its last snapshot and had not yet
 * handed to ingest is gone after a kill -9 — the device was told "delivered" and dropped it.
 * These tests measure that, and check the bound the docs promise: every reading lost was
 * PUBACKed less than autosave_interval (+1 s of timer slack) before the kill. What ingest had
 * received is committed whatever happens to the broker, and nothing is stored twice.
 */
type Device = { deviceId: string; sensorId: number };

let database: TestDatabase;
let facility: OrgUnit;
const brokers: TestBroker[] = [];
const ingests: IngestHandle[] = [];
const clients: MqttClient[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "brokerkill");
  facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Imogiri I" });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  await Promise.all(ingests.map((ingest) => ingest.stop()));
  await Promise.all(brokers.map((broker) => broker.destroy()));
  await database?.destroy();
});

/** The template's autosave_interval, in ms: the promised bound follows the config. */
async function autosaveIntervalMs(): Promise<number> {
  const match = /^autosave_interval (\d+)$/m.exec(await readFile(BROKER_TEMPLATE, "utf8"));
  if (!match) throw new Error("the broker template has no autosave_interval line");
  return Number(match[1]) * 1000;
}
const TIMER_SLACK_MS = 1000;

async function createDevices(prefix: string, count: number): Promise<Device[]> {
  const devices: Device[] = [];
  for (let i = 0; i < count; i += 1) {
    const deviceId = `${prefix}-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
  return devices;
}

async function startIngestOn(broker: TestBroker, clientId: string): Promise<IngestHandle> {
  const ingest = await startIngest(
    testIngestConfig(
      { databaseUrl: database.url, mqttUrl: broker.url, clientId },
      { connections: 3, noDataCheckIntervalMs: 0 },
    ),
  );
  ingests.push(ingest);
  await ingest.ready;
  return ingest;
}

/**
 * A device as the protocol asks: persistent session, QoS 1, resend until a PUBACK 0x00 (plain)
 * or until ingest's storage confirmation (publishConfirmed).
 */
async function connectDevice(broker: TestBroker, clientId: string) {
  const client = await connectAsync(broker.url, {
    clientId,
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 300 },
    reconnectPeriod: 200,
  });
  clients.push(client);
  return { client, device: createDevicePublisher(client) };
}

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

/** Nothing held by ingest and no new row for `quietMs`: redeliveries have landed. */
async function waitUntilIdle(ingest: IngestHandle, devices: Device[], quietMs = 3000): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitFor(
    "ingest idle",
    async () => {
      const count = (await storedKeys(devices)).length;
      const held = (await ingest.metrics.bufferMessages.get()).values[0]?.value ?? 0;
      if (count !== last || held > 0) {
        last = count;
        since = Date.now();
        return false;
      }
      return Date.now() - since >= quietMs;
    },
    60_000,
  );
}

const metricTotal = async (metric: IngestHandle["metrics"]["readingsStored"]) =>
  (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);

/** Readings PUBACKed (0x00) but not stored, each with how long before the kill it was acked. */
/** Kills the broker `times` times, each once it has run past a snapshot; returns when each kill came. */
async function killBrokerRepeatedly(broker: TestBroker, times: number, bound: number): Promise<number[]> {
  const kills: number[] = [];
  for (let i = 0; i < times; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, bound + 500));
    kills.push(Date.now());
    await broker.stop("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await broker.restart();
  }
  return kills;
}

/** Every confirmation says "stored" or "already stored" for the one reading of its message. */
const storedOnce = (confirmation: TConfirmation) =>
  confirmation.rejected === 0 && confirmation.stored + confirmation.duplicate === 1;

function lostBeforeKill(acked: Map<string, number>, stored: Set<string>, killedAt: number) {
  return [...acked].filter(([key]) => !stored.has(key)).map(([key, at]) => ({ key, msBeforeKill: killedAt - at }));
}

describe("broker kill -9", () => {
  it("ingest online: PUBACKed readings are stored once, except what the broker acked after its last snapshot", async () => {
    const bound = (await autosaveIntervalMs()) + TIMER_SLACK_MS;
    const broker = await startTestBroker();
    brokers.push(broker);
    const devices = await createDevices("RTS-KILL-LIVE", 20);
    const ingest = await startIngestOn(broker, "ingest-kill-live");
    const { device } = await connectDevice(broker, "rts-kill-live-publisher");

    // ~100 readings a second, about what this ingest (3 connections) commits on a busy test
    // machine: the broker's queue for it stays short, as in service when ingest keeps up.
    const STREAM = 1500;
    const base = Date.now() - 50 * 60_000;
    const expected = new Set<string>();
    /** key → when its PUBACK 0x00 arrived. */
    const acked = new Map<string, number>();
    let published = 0;
    const publishing = (async () => {
      for (let start = 0; start < STREAM; start += 10) {
        const sends: Promise<unknown>[] = [];
        for (let k = start; k < start + 10; k += 1) {
          const target = devices[k % devices.length];
          if (!target) throw new Error("no device");
          const ts = base + k * 1000;
          const key = `${target.sensorId}:${ts}`;
          expected.add(key);
          const payload = JSON.stringify({ ts, tempC: 4 + (k % 30) / 10, seq: k });
          sends.push(device.publish(readingsTopic(target.deviceId), payload).then(() => acked.set(key, Date.now())));
        }
        // Not waiting for the PUBACKs here: while the broker is down the device keeps producing.
        void Promise.all(sends).then(() => {
          published += 10;
        });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // Each kill comes once the broker has run past a snapshot (autosave_interval + 1.5 s).
    const kills: { at: number; restartedAt: number; published: number }[] = [];
    for (let i = 0; i < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, bound + 500));
      const at = Date.now();
      const atPublished = published;
      await broker.stop("SIGKILL");
      await new Promise((resolve) => setTimeout(resolve, 500));
      await broker.restart();
      kills.push({ at, restartedAt: Date.now(), published: atPublished });
    }
    await publishing;
    await waitFor("every publish PUBACKed", () => acked.size === STREAM, 60_000);
    await waitUntilIdle(ingest, devices);

    const stored = await storedKeys(devices);
    const storedSet = new Set(stored);
    expect(acked.size).toBe(STREAM);
    // Nothing stored that was not sent, nothing stored or counted twice.
    expect(stored.every((key) => expected.has(key))).toBe(true);
    expect(await metricTotal(ingest.metrics.readingsStored)).toBe(stored.length);
    expect(await database.db.$count(deadLetters)).toBe(0);
    // Each lost reading was PUBACKed within the snapshot window before one of the kills (a
    // PUBACK the device read while the broker was down was sent before it died).
    const lost = [...acked].filter(([key]) => !storedSet.has(key));
    for (const [key, at] of lost) {
      const window = kills.some((kill) => at < kill.restartedAt && kill.at - at < bound);
      expect(window, `${key} PUBACKed at ${at}, kills at ${kills.map((kill) => kill.at).join(", ")}`).toBe(true);
    }
    const duplicates = await metricTotal(ingest.metrics.readingsDuplicate);
    console.log(
      `ingest online, kill -9 at ${kills.map((kill) => `${kill.published} published`).join(" and ")}: ` +
        `${stored.length} of ${STREAM} PUBACKed readings stored once, ${lost.length} lost ` +
        `(acked < ${bound} ms before a kill), ${duplicates} redelivered duplicates ignored, ` +
        `${device.resent} resent after 0x10`,
    );
  }, 120_000);

  it("ingest offline: the broker's queue survives a kill -9 up to its last snapshot", async () => {
    const bound = (await autosaveIntervalMs()) + TIMER_SLACK_MS;
    const broker = await startTestBroker();
    brokers.push(broker);
    const devices = await createDevices("RTS-KILL-QUEUE", 10);
    // Ingest's sessions exist (subscribed once), then ingest goes away: the broker queues.
    const first = await startIngestOn(broker, "ingest-kill-queue");
    expect(await first.stop()).toEqual({ graceful: true });

    const { device } = await connectDevice(broker, "rts-kill-queue-publisher");
    const base = Date.now() - 40 * 60_000;
    const acked = new Map<string, number>();
    const burst = async (from: number, to: number) => {
      const sends: Promise<unknown>[] = [];
      for (let k = from; k < to; k += 1) {
        const target = devices[k % devices.length];
        if (!target) throw new Error("no device");
        const ts = base + k * 1000;
        const key = `${target.sensorId}:${ts}`;
        sends.push(
          device
            .publish(readingsTopic(target.deviceId), JSON.stringify({ ts, tempC: 5, seq: k }))
            .then(() => acked.set(key, Date.now())),
        );
      }
      await Promise.all(sends);
    };
    await burst(0, 500);
    // Long enough for at least one snapshot to include the first burst.
    await new Promise((resolve) => setTimeout(resolve, bound + 500));
    await burst(500, 1000);
    const killedAt = Date.now();
    await broker.stop("SIGKILL");
    await broker.restart();
    const second = await startIngestOn(broker, "ingest-kill-queue");
    await waitUntilIdle(second, devices);

    const storedSet = new Set(await storedKeys(devices));
    const lost = lostBeforeKill(acked, storedSet, killedAt);
    expect(acked.size).toBe(1000);
    // The first burst was in a snapshot: all of it stored, once.
    const firstBurst = [...acked].filter(([, at]) => killedAt - at >= bound).map(([key]) => key);
    expect(firstBurst.length).toBeGreaterThanOrEqual(500);
    expect(firstBurst.filter((key) => !storedSet.has(key))).toEqual([]);
    expect(lost.every((entry) => entry.msBeforeKill < bound)).toBe(true);
    expect(await metricTotal(second.metrics.readingsStored)).toBe(storedSet.size);
    const log = await readFile(join(broker.dataDir, "mosquitto.log"), "utf8");
    console.log(
      `ingest offline, kill -9 right after a second burst: ${storedSet.size} of 1000 PUBACKed readings stored, ` +
        `${lost.length} lost (all acked < ${bound} ms before the kill); broker log mentions saving ` +
        `${log.split("Saving in-memory database").length - 1} times`,
    );
  }, 120_000);

  it("confirmed mode, ingest online: every reading sent is stored exactly once across kill -9s", async () => {
    const bound = (await autosaveIntervalMs()) + TIMER_SLACK_MS;
    const broker = await startTestBroker();
    brokers.push(broker);
    const devices = await createDevices("RTS-CONF-LIVE", 20);
    const ingest = await startIngestOn(broker, "ingest-conf-live");
    const { device } = await connectDevice(broker, "rts-conf-live-publisher");

    // The same stream as the plain device above: ~100 readings a second, two kills mid-stream.
    const STREAM = 1500;
    const base = Date.now() - 50 * 60_000;
    const sent = new Set<string>();
    const confirmations: Promise<TConfirmation>[] = [];
    const publishing = (async () => {
      for (let k = 0; k < STREAM; k += 1) {
        const target = devices[k % devices.length];
        if (!target) throw new Error("no device");
        const ts = base + k * 1000;
        sent.add(`${target.sensorId}:${ts}`);
        const payload = JSON.stringify({ ts, tempC: 4 + (k % 30) / 10, seq: k });
        confirmations.push(device.publishConfirmed(readingsTopic(target.deviceId), payload));
        if (k % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const kills = await killBrokerRepeatedly(broker, 2, bound);
    await publishing;
    const confirmed = await Promise.all(confirmations);
    await waitUntilIdle(ingest, devices);

    const stored = await storedKeys(devices);
    expect(confirmed.length).toBe(STREAM);
    expect(confirmed.filter((confirmation) => !storedOnce(confirmation))).toEqual([]);
    // Sent set == stored set, each row once (the primary key), each counted once.
    expect(stored.length).toBe(STREAM);
    expect(new Set(stored)).toEqual(sent);
    expect(await metricTotal(ingest.metrics.readingsStored)).toBe(STREAM);
    const duplicates = await metricTotal(ingest.metrics.readingsDuplicate);
    console.log(
      `confirmed mode, ingest online, kill -9 at ${kills.map((at) => new Date(at).toISOString()).join(" and ")}: ` +
        `${stored.length} of ${STREAM} readings stored once, ${device.resent} resends, ` +
        `${duplicates} duplicates ignored, ${confirmed.filter((c) => c.duplicate > 0).length} confirmed as duplicates`,
    );
  }, 120_000);

  it("confirmed mode, ingest offline: a burst just before a kill -9 is stored exactly once", async () => {
    const bound = (await autosaveIntervalMs()) + TIMER_SLACK_MS;
    const broker = await startTestBroker();
    brokers.push(broker);
    const devices = await createDevices("RTS-CONF-QUEUE", 10);
    const first = await startIngestOn(broker, "ingest-conf-queue");
    expect(await first.stop()).toEqual({ graceful: true });

    const { client, device } = await connectDevice(broker, "rts-conf-queue-publisher");
    const base = Date.now() - 40 * 60_000;
    const sent = new Set<string>();
    const confirmations: Promise<TConfirmation>[] = [];
    let pubacks = 0;
    client.on("packetreceive", (packet) => {
      if (packet.cmd === "puback") pubacks += 1;
    });
    const burst = (from: number, to: number) => {
      for (let k = from; k < to; k += 1) {
        const target = devices[k % devices.length];
        if (!target) throw new Error("no device");
        const ts = base + k * 1000;
        sent.add(`${target.sensorId}:${ts}`);
        const payload = JSON.stringify({ ts, tempC: 5, seq: k });
        confirmations.push(device.publishConfirmed(readingsTopic(target.deviceId), payload));
      }
    };
    burst(0, 500);
    await new Promise((resolve) => setTimeout(resolve, bound + 500));
    // The second burst is PUBACKed (the broker has it) and the broker dies before its next snapshot.
    const before = pubacks;
    burst(500, 1000);
    await waitFor("the second burst PUBACKed", () => pubacks - before >= 500, 20_000);
    await broker.stop("SIGKILL");
    await broker.restart();
    const second = await startIngestOn(broker, "ingest-conf-queue");
    const confirmed = await Promise.all(confirmations);
    await waitUntilIdle(second, devices);

    const stored = await storedKeys(devices);
    expect(confirmed.length).toBe(1000);
    expect(confirmed.filter((confirmation) => !storedOnce(confirmation))).toEqual([]);
    expect(stored.length).toBe(1000);
    expect(new Set(stored)).toEqual(sent);
    expect(await metricTotal(second.metrics.readingsStored)).toBe(1000);
    console.log(
      `confirmed mode, ingest offline, kill -9 right after a second burst: ${stored.length} of 1000 readings ` +
        `stored once, ${device.resent} resends, ` +
        `${await metricTotal(second.metrics.readingsDuplicate)} duplicates ignored`,
    );
  }, 120_000);
});
