import { readFile, stat } from "node:fs/promises";
import { readingsTopic, statusTopic } from "@rantai/core/coldchain/sensor-protocol";
import { hashBrokerPassword } from "@rantai/core/coldchain/sensors";
import { deadLetters, readings, sensors } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { eq } from "drizzle-orm";
import { connectAsync, type IClientOptions, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestHandle, startIngest } from "../ingest";
import { startTestBroker, type TestBroker } from "../testing/broker";
import { metricValue, testIngestConfig, waitFor } from "../testing/helpers";
import { brokerFileOwner } from "./atomic-file";
import { INGEST_READ_TOPICS, INGEST_WRITE_TOPICS, parsePasswordFile } from "./files";
import { reloadBroker } from "./reload";
import { type SyncBrokerAuthOptions, syncBrokerAuth } from "./sync";

/*
 * Promises A11, A12, A14 on a real Mosquitto 2.0 running the project's template with the files
 * this module writes: no anonymous CONNECT, one credential per device, devices publish only to
 * their own two topics and read only their own storage confirmations, revocation takes effect
 * at the next sync.
 */
let broker: TestBroker;
let database: TestDatabase;
let ingest: IngestHandle;
const INGEST_PASSWORD = "ingest-test-password-0123456789";
const secrets = { a: "secret-of-device-a-0123456789ab", b: "secret-of-device-b-0123456789ab" };
const ids = { a: 0, b: 0, off: 0, legacy: 0 };
const clients: MqttClient[] = [];
let options: SyncBrokerAuthOptions;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([
    startTestBroker({ auth: "password" }),
    createTestDatabase(services.mysqlServerUrl, "brokerauth"),
  ]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Gamping I" });
  const register = async (deviceId: string, secret: string | null, active = true) => {
    const { sensorId } = await createFridgeWithSensor(database.db, { facility, deviceId });
    const brokerPasswordHash = secret === null ? null : await hashBrokerPassword(secret);
    await database.db.update(sensors).set({ brokerPasswordHash, active }).where(eq(sensors.id, sensorId));
    return sensorId;
  };
  ids.a = await register("RTS-AUTH-A", secrets.a);
  ids.b = await register("RTS-AUTH-B", secrets.b);
  ids.off = await register("RTS-AUTH-OFF", "secret-of-an-inactive-device-01", false);
  ids.legacy = await register("RTS-AUTH-LEGACY", null);
  options = {
    passwordFile: broker.passwordFile,
    aclFile: broker.aclFile,
    serviceAccounts: [
      { username: "ingest", password: INGEST_PASSWORD, read: INGEST_READ_TOPICS, write: INGEST_WRITE_TOPICS },
    ],
  };
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  await ingest?.stop();
  await database?.destroy();
  await broker?.destroy();
});

async function connect(extra: IClientOptions): Promise<MqttClient> {
  const client = await connectAsync(broker.url, {
    clientId: `auth-test-${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...extra,
  });
  clients.push(client);
  return client;
}

const device = (deviceId: string, password: string, protocolVersion: 4 | 5 = 5) =>
  connect({ username: deviceId, password, protocolVersion });

async function refusal(extra: IClientOptions): Promise<string> {
  return connect(extra).then(
    () => "connected",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

const readingCount = (sensorId: number) => database.db.$count(readings, eq(readings.sensorId, sensorId));
const reading = (tempC: number, minutesAgo = 1) =>
  JSON.stringify({ ts: new Date(Date.now() - minutesAgo * 60_000).toISOString(), tempC });

describe("broker auth files", () => {
  it("writes only active sensors with a broker hash plus the service account, then reports no change", async () => {
    const first = await syncBrokerAuth(database.db, options);
    expect(first).toMatchObject({ changed: true, passwordFileChanged: true, aclFileChanged: true, devices: 2 });
    expect(await syncBrokerAuth(database.db, options)).toMatchObject({ changed: false, devices: 2 });

    const users = [...parsePasswordFile(await readFile(broker.passwordFile, "utf8")).keys()];
    expect(users).toEqual(["RTS-AUTH-A", "RTS-AUTH-B", "ingest"]);
    const acl = await readFile(broker.aclFile, "utf8");
    expect(acl).toContain(
      "pattern write coldchain/v1/sensors/%u/readings\npattern write coldchain/v1/sensors/%u/status\n",
    );
    expect(acl).toContain(
      "user ingest\ntopic read coldchain/v1/sensors/+/readings\ntopic read coldchain/v1/sensors/+/status",
    );
    expect(acl).not.toMatch(/^topic (read|readwrite) #/m);

    const info = await stat(broker.passwordFile);
    expect(info.mode & 0o777).toBe(0o600);
    const owner = brokerFileOwner();
    if (owner) expect(info.uid).toBe(owner.uid);

    expect(await reloadBroker(broker.pidFile)).toBe("reloaded");
    await waitFor(
      "device A accepted after the reload",
      async () => (await refusal({ username: "RTS-AUTH-A", password: secrets.a })) === "connected",
    );

    ingest = await startIngest(
      testIngestConfig(
        {
          databaseUrl: database.url,
          mqttUrl: broker.url,
          clientId: `ingest-auth-${Math.random().toString(16).slice(2, 8)}`,
        },
        { mqttUsername: "ingest", mqttPassword: INGEST_PASSWORD },
      ),
    );
    await ingest.ready;
  });

  it("refuses anonymous clients, wrong secrets, unknown, inactive and hash-less sensors", async () => {
    expect(await refusal({ protocolVersion: 5 })).toMatch(/not authori[sz]ed/i);
    expect(await refusal({ protocolVersion: 4 })).toMatch(/not authori[sz]ed/i);
    expect(await refusal({ username: "RTS-AUTH-A", password: secrets.b })).toMatch(/not authori[sz]ed|bad user name/i);
    expect(await refusal({ username: "RTS-NOBODY", password: secrets.a })).toMatch(/not authori[sz]ed|bad user name/i);
    expect(await refusal({ username: "RTS-AUTH-OFF", password: "secret-of-an-inactive-device-01" })).not.toBe(
      "connected",
    );
    expect(await refusal({ username: "RTS-AUTH-LEGACY", password: "" })).not.toBe("connected");
    expect(await refusal({ username: "ingest", password: "wrong-password-for-ingest" })).not.toBe("connected");
  });

  it("stores a device's own readings; another device's topic is denied by the broker and never stored", async () => {
    const a = await device("RTS-AUTH-A", secrets.a);
    await a.publishAsync(readingsTopic("RTS-AUTH-A"), reading(4.1, 3), { qos: 1 });
    await waitFor("A's reading stored", async () => (await readingCount(ids.a)) === 1);

    // MQTT 5: the broker answers the cross-device publish with PUBACK 0x87 (not authorized).
    const denied = await a.publishAsync(readingsTopic("RTS-AUTH-B"), reading(9.9, 3), { qos: 1 }).then(
      (packet) => (packet && "reasonCode" in packet ? packet.reasonCode : "acked"),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(String(denied)).toMatch(/135|not authori[sz]ed/i);
    // MQTT 3.1.1 has no reason codes: the broker acks and drops. Deeper topics are refused too.
    const a4 = await device("RTS-AUTH-A", secrets.a, 4);
    await a4.publishAsync(readingsTopic("RTS-AUTH-B"), reading(9.8, 3), { qos: 1 });
    await a4.publishAsync(`${readingsTopic("RTS-AUTH-A")}/extra`, reading(9.7, 3), { qos: 1 });
    await a4.publishAsync(statusTopic("RTS-AUTH-B"), JSON.stringify({ online: false }), { qos: 1, retain: true });
    // A payload naming another device is quarantined, not stored under either (A14: the topic is the identity).
    await a4.publishAsync(
      readingsTopic("RTS-AUTH-A"),
      JSON.stringify({ deviceId: "RTS-AUTH-B", ts: Date.now() - 120_000, tempC: 5 }),
      { qos: 1 },
    );

    await waitFor("the mismatched payload quarantined", async () => (await database.db.$count(deadLetters)) === 1);
    // Everything above went through ingest's queue in order; nothing reached B.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await readingCount(ids.a)).toBe(1);
    expect(await readingCount(ids.b)).toBe(0);
    const [quarantined] = await database.db
      .select({ reasonCode: deadLetters.reasonCode, deviceId: deadLetters.deviceId })
      .from(deadLetters);
    expect(quarantined).toEqual({ reasonCode: "device_mismatch", deviceId: "RTS-AUTH-A" });
  });

  it("lets a device read nothing: '#', '$SYS/#' and shared subscriptions deliver no messages", async () => {
    const a = await device("RTS-AUTH-A", secrets.a);
    const received: string[] = [];
    a.on("message", (topic) => received.push(topic));
    await a.subscribeAsync(["#", "$SYS/#", "$share/spy/coldchain/v1/sensors/+/readings", readingsTopic("RTS-AUTH-B")], {
      qos: 1,
    });
    const b = await device("RTS-AUTH-B", secrets.b);
    await b.publishAsync(readingsTopic("RTS-AUTH-B"), reading(4.4, 2), { qos: 1 });
    await b.publishAsync(statusTopic("RTS-AUTH-B"), JSON.stringify({ online: true }), { qos: 1, retain: true });
    await waitFor("B's reading stored by ingest", async () => (await readingCount(ids.b)) === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toEqual([]);
  });

  it("confirms storage to the sender only: a device cannot read, request or forge another device's confirmations", async () => {
    const storedTopic = (deviceId: string) => `coldchain/v1/sensors/${deviceId}/stored`;
    const a = await device("RTS-AUTH-A", secrets.a);
    const b = await device("RTS-AUTH-B", secrets.b);
    const received = { a: [] as string[], b: [] as string[] };
    a.on("message", (topic, payload, packet) =>
      received.a.push(`${topic} ${packet.properties?.correlationData?.toString()} ${payload.toString()}`),
    );
    b.on("message", (topic, payload, packet) =>
      received.b.push(`${topic} ${packet.properties?.correlationData?.toString()} ${payload.toString()}`),
    );
    await a.subscribeAsync(storedTopic("RTS-AUTH-A"), { qos: 1 });
    // B tries every way to read A's confirmations; the broker checks read access on each delivery.
    await b.subscribeAsync(
      [storedTopic("RTS-AUTH-B"), storedTopic("RTS-AUTH-A"), "coldchain/v1/sensors/+/stored", "#"],
      {
        qos: 1,
      },
    );
    const before = await readingCount(ids.a);

    await a.publishAsync(readingsTopic("RTS-AUTH-A"), reading(4.2, 4), {
      qos: 1,
      properties: { responseTopic: storedTopic("RTS-AUTH-A"), correlationData: Buffer.from("a-1") },
    });
    await waitFor("A's confirmation", () => received.a.length === 1);
    expect(received.a).toEqual([`${storedTopic("RTS-AUTH-A")} a-1 {"stored":1,"duplicate":0,"rejected":0}`]);

    // A asks ingest to confirm to B: stored, never published there, counted.
    await a.publishAsync(readingsTopic("RTS-AUTH-A"), reading(4.3, 5), {
      qos: 1,
      properties: { responseTopic: storedTopic("RTS-AUTH-B"), correlationData: Buffer.from("a-2") },
    });
    await waitFor("A's second reading stored", async () => (await readingCount(ids.a)) === before + 2);
    // A forging a confirmation for B: MQTT 5 PUBACK 0x87 (not authorized), nothing delivered.
    const forged = await a
      .publishAsync(storedTopic("RTS-AUTH-B"), '{"stored":1,"duplicate":0,"rejected":0}', { qos: 1 })
      .then(
        (packet) => (packet && "reasonCode" in packet ? packet.reasonCode : "acked"),
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    expect(String(forged)).toMatch(/135|not authori[sz]ed/i);

    // B's own confirmation does arrive, so its subscriptions work and the silence above is the ACL.
    await b.publishAsync(readingsTopic("RTS-AUTH-B"), reading(4.4, 4), {
      qos: 1,
      properties: { responseTopic: storedTopic("RTS-AUTH-B"), correlationData: Buffer.from("b-1") },
    });
    await waitFor("B's confirmation", () => received.b.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // One copy per matching subscription (MQTT 5 overlapping subscriptions), all of them B's own.
    expect(new Set(received.b)).toEqual(
      new Set([`${storedTopic("RTS-AUTH-B")} b-1 {"stored":1,"duplicate":0,"rejected":0}`]),
    );
    expect(received.a).toHaveLength(1);
    const metrics = await ingest.metrics.registry.metrics();
    expect(metricValue(metrics, "rantai_ingest_confirmations_total", { result: "foreign_topic" })).toBe(1);
    expect(metricValue(metrics, "rantai_ingest_confirmations_total", { result: "sent" })).toBe(2);
  });

  it("drops and refuses a deactivated sensor, and an old secret after rotation, from the next sync", async () => {
    const a = await device("RTS-AUTH-A", secrets.a);
    let aClosed = false;
    a.on("close", () => {
      aClosed = true;
    });
    await database.db.update(sensors).set({ active: false }).where(eq(sensors.id, ids.a));
    const newSecretB = "a-rotated-secret-for-device-b-01";
    await database.db
      .update(sensors)
      .set({ brokerPasswordHash: await hashBrokerPassword(newSecretB) })
      .where(eq(sensors.id, ids.b));

    const result = await syncBrokerAuth(database.db, options);
    expect(result).toMatchObject({ changed: true, passwordFileChanged: true, aclFileChanged: false, devices: 1 });
    await broker.reload();

    await waitFor("A's open connection dropped", () => aClosed, 5000);
    expect(await refusal({ username: "RTS-AUTH-A", password: secrets.a })).not.toBe("connected");
    expect(await refusal({ username: "RTS-AUTH-B", password: secrets.b })).not.toBe("connected");
    const b = await device("RTS-AUTH-B", newSecretB);
    await b.publishAsync(readingsTopic("RTS-AUTH-B"), reading(4.6, 1), { qos: 1 });
    await waitFor("B's reading with the new secret stored", async () => (await readingCount(ids.b)) === 2);
  });
});
