import type { ChildProcess } from "node:child_process";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { deadLetters, ingestMessageAttempts, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POISON_REASON_CODE } from "./message-attempts";
import { FAULT_CRASH_EXIT_CODE } from "./poison";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, startIngestChild, waitFor } from "./testing/helpers";

/*
 * A message that crashes the process every time it is processed. Ingest runs as a real child
 * process under a supervisor loop (as systemd or Kubernetes would restart it) with the crash
 * fault hook armed. The message must be quarantined as `poison` after its first delivery and
 * INGEST_POISON_MAX_ATTEMPTS recorded redeliveries crashed, and every other reading — other
 * devices' and the same device's, sent before, during and after the crash loop — must be
 * stored exactly once.
 */
const SENSORS = 8;
const MESSAGES = 800;
const POISON_AT = 150;
const MAX_ATTEMPTS = 3;
const MARK = "crash-here-7f3a";
const ROUND = 20;
const ROUND_PAUSE_MS = 100;

let broker: TestBroker;
let database: TestDatabase;
const devices: { deviceId: string; sensorId: number }[] = [];
const output: string[] = [];
let running: ReturnType<typeof supervise> | null = null;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([
    startTestBroker(),
    createTestDatabase(services.mysqlServerUrl, "poisoncrash"),
  ]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Pandak I" });
  for (let i = 0; i < SENSORS; i += 1) {
    const deviceId = `RTS-PCRASH-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
});

afterAll(async () => {
  // Also when the test failed: no ingest left running (and restarting) after the file.
  await running?.stop();
  await database?.destroy();
  await broker?.destroy();
});

/** Restarts ingest whenever it exits, until stopped; records how each run ended. */
function supervise() {
  let stopping = false;
  let current: ChildProcess | null = null;
  const exits: (number | string)[] = [];
  const loop = (async () => {
    while (!stopping) {
      try {
        const child = await startIngestChild({
          databaseUrl: database.url,
          brokerUrl: broker.url,
          clientId: "ingest-poison-crash",
          connections: 3,
          output,
          env: { INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING: MARK, INGEST_POISON_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
        });
        current = child;
        const code = await new Promise<number | string>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? String(child.signalCode));
          else child.once("exit", (exitCode, signal) => resolve(exitCode ?? String(signal)));
        });
        current = null;
        exits.push(code);
      } catch {
        // It died before it was ready: the redelivered poison arrives right after CONNACK.
        exits.push("before_ready");
      }
      if (!stopping) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    exits,
    async stop() {
      stopping = true;
      current?.kill("SIGTERM");
      await loop;
    },
  };
}

const crashesLogged = () => output.join("").split('"msg":"fault_hook_crash"').length - 1;

describe("a message that crashes ingest", () => {
  it("is quarantined as poison after the limit, and every other reading is stored exactly once", async () => {
    const base = Date.now() - 2 * 60 * 60_000;
    const expected = new Set<string>();
    const supervisor = supervise();
    running = supervisor;
    await waitFor("ingest ready", () => output.join("").includes('"msg":"ingest_ready"'), 30_000);
    const publisher = await connectPublisher(broker.url);
    const poisonDevice = devices[0];
    if (!poisonDevice) throw new Error("no device");
    const poisonPayload = JSON.stringify({ ts: base - 1000, tempC: 4.2, note: MARK });

    let poisonSentAt = 0;
    const publishing = (async () => {
      for (let start = 0; start < MESSAGES; start += ROUND) {
        const sends: Promise<unknown>[] = [];
        for (let k = start; k < start + ROUND; k += 1) {
          const device = devices[k % SENSORS];
          if (!device) throw new Error("no device");
          const ts = base + k * 1000;
          expected.add(`${device.sensorId}:${ts}`);
          sends.push(publisher.publish(readingsTopic(device.deviceId), JSON.stringify({ ts, tempC: 4.5, seq: k })));
          if (k === POISON_AT) {
            poisonSentAt = Date.now();
            sends.push(publisher.publish(readingsTopic(poisonDevice.deviceId), poisonPayload));
          }
        }
        await Promise.all(sends);
        await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
      }
    })();

    await publishing;
    const storedCount = () => database.db.$count(readings);
    await waitFor(
      "every reading stored and the poison quarantined",
      async () => (await storedCount()) >= MESSAGES && (await database.db.$count(deadLetters)) >= 1,
      120_000,
    );
    const letters = await database.db.select().from(deadLetters);
    const quarantinedAfterMs = (letters[0]?.receivedAt.getTime() ?? 0) - poisonSentAt;
    // Quiet a moment: a second dead letter or extra rows would show up now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await publisher.close();
    await supervisor.stop();

    const rows = await database.db.select({ sensorId: readings.sensorId, ts: readings.ts }).from(readings);
    const stored = rows.map((row) => `${row.sensorId}:${row.ts.getTime()}`);
    expect(stored).toHaveLength(MESSAGES);
    expect(new Set(stored)).toEqual(expected);

    const finalLetters = await database.db.select().from(deadLetters);
    expect(finalLetters).toHaveLength(1);
    expect(finalLetters[0]).toMatchObject({ reasonCode: POISON_REASON_CODE, deviceId: poisonDevice.deviceId });
    expect(finalLetters[0]?.payload.toString()).toBe(poisonPayload);
    expect(finalLetters[0]?.reason).toContain(`${MAX_ATTEMPTS} times`);

    // The first delivery (not recorded: no DUP) crashed it, then MAX_ATTEMPTS recorded
    // redeliveries; the next one was quarantined without being processed. Every run but the
    // last ended by the fault hook.
    const crashes = crashesLogged();
    expect(crashes).toBe(MAX_ATTEMPTS + 1);
    expect(supervisor.exits.slice(0, -1)).toEqual(
      supervisor.exits.slice(0, -1).map((exit) => (exit === "before_ready" ? exit : FAULT_CRASH_EXIT_CODE)),
    );
    expect(supervisor.exits).toHaveLength(MAX_ATTEMPTS + 2);
    expect(supervisor.exits.at(-1)).toBe(0);
    const [poisonRow] = await database.db
      .select()
      .from(ingestMessageAttempts)
      .where(eq(ingestMessageAttempts.topic, readingsTopic(poisonDevice.deviceId)));
    expect(poisonRow?.attempts).toBeGreaterThan(MAX_ATTEMPTS);
    console.log(
      `poison quarantined ${quarantinedAfterMs} ms after it was published, after ${crashes} crashes ` +
        `(runs ended: ${supervisor.exits.join(", ")}); ${stored.length} of ${MESSAGES} readings stored once`,
    );
  }, 180_000);
});
