import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { hashBrokerPassword } from "@rantai/core/coldchain/sensors";
import { sensors } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { eq } from "drizzle-orm";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBroker, type TestBroker } from "../testing/broker";
import { waitFor } from "../testing/helpers";

/*
 * The promise behind sensor administration: a sensor disabled in Rantai is dropped by the broker
 * within 60 s. Runs the broker-auth process exactly as `npm start` does (`main.ts --watch`, the
 * default sync interval, SIGHUP through the broker's pid file) against a real Mosquitto.
 */
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const INGEST_PASSWORD = "ingest-test-password-0123456789";
const SECRET = "secret-of-the-watched-device-0123";
const DEVICE = "RTS-WATCH-A";

let broker: TestBroker;
let database: TestDatabase;
let watcher: ChildProcess | null = null;
let sensorId = 0;
const clients: MqttClient[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([
    startTestBroker({ auth: "password" }),
    createTestDatabase(services.mysqlServerUrl, "brokerwatch"),
  ]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Godean I" });
  ({ sensorId } = await createFridgeWithSensor(database.db, { facility, deviceId: DEVICE }));
  await database.db
    .update(sensors)
    .set({ brokerPasswordHash: await hashBrokerPassword(SECRET) })
    .where(eq(sensors.id, sensorId));
  // The environment scripts/lib/services.mjs gives the watcher, without an interval of its own.
  // biome-ignore lint/style/noProcessEnv: the child needs PATH and the like, minus any interval set here.
  const { BROKER_AUTH_SYNC_INTERVAL_SECONDS: _interval, ...inherited } = process.env;
  watcher = spawn(`${root}node_modules/.bin/tsx`, ["apps/ingest/src/broker-auth/main.ts", "--watch"], {
    cwd: root,
    stdio: "ignore",
    env: {
      ...inherited,
      DATABASE_URL: database.url,
      BROKER_PASSWORD_FILE: broker.passwordFile,
      BROKER_ACL_FILE: broker.aclFile,
      BROKER_PID_FILE: broker.pidFile,
      BROKER_INGEST_USERNAME: "ingest",
      BROKER_INGEST_PASSWORD: INGEST_PASSWORD,
    },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  if (watcher && watcher.exitCode === null) {
    const exited = new Promise((resolve) => watcher?.once("exit", resolve));
    watcher.kill("SIGTERM");
    await exited;
  }
  await database?.destroy();
  await broker?.destroy();
});

async function connectDevice(): Promise<MqttClient | null> {
  try {
    const client = await connectAsync(broker.url, {
      clientId: `watch-test-${Math.random().toString(16).slice(2, 10)}`,
      username: DEVICE,
      password: SECRET,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      protocolVersion: 5,
    });
    clients.push(client);
    return client;
  } catch {
    return null;
  }
}

describe("broker-auth --watch, as npm start runs it", () => {
  it("admits a registered device, then drops it within 60 s of being disabled", async () => {
    let device: MqttClient | null = null;
    await waitFor(
      "the watcher's first sync admits the device",
      async () => {
        device = await connectDevice();
        return device !== null;
      },
      30_000,
    );
    let closedAt: number | null = null;
    (device as MqttClient | null)?.on("close", () => {
      closedAt ??= Date.now();
    });

    const disabledAt = Date.now();
    await database.db.update(sensors).set({ active: false }).where(eq(sensors.id, sensorId));
    await waitFor("the broker drops the disabled device", () => closedAt !== null, 60_000);
    expect((closedAt ?? Number.POSITIVE_INFINITY) - disabledAt).toBeLessThan(60_000);
    expect(await connectDevice()).toBeNull();
  }, 100_000);
});
