import type { ChildProcess } from "node:child_process";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { deadLetters, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, startIngestChild, waitFor } from "./testing/helpers";

/*
 * Promise B2: PUBACK only after commit, persistent sessions with fixed client ids. Ingest runs
 * as a real child process and is killed 20 times at random points — 19 × SIGKILL, once stopped
 * with SIGTERM — while 4,000 readings stream in over ~40 s; every reading must end up stored
 * exactly once.
 */
const SENSORS = 40;
const MESSAGES = 4000;
const KILLS = 20;
/** Messages per publish round, and the pause between rounds: ~100 messages a second. */
const ROUND = 25;
const ROUND_PAUSE_MS = 250;

let broker: TestBroker;
let database: TestDatabase;
const devices: { deviceId: string; sensorId: number }[] = [];
let child: ChildProcess | null = null;
const output: string[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([startTestBroker(), createTestDatabase(services.mysqlServerUrl, "crash")]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Sewon I" });
  for (let i = 0; i < SENSORS; i += 1) {
    const deviceId = `RTS-CRASH-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await database?.destroy();
  await broker?.destroy();
});

function startChild(): Promise<ChildProcess> {
  return startIngestChild({
    databaseUrl: database.url,
    brokerUrl: broker.url,
    clientId: "ingest-crash-test",
    connections: 3,
    output: output,
  });
}

async function stopChild(signal: "SIGKILL" | "SIGTERM"): Promise<number | null> {
  const running = child;
  child = null;
  if (!running || running.exitCode !== null) return running?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => running.once("exit", (code) => resolve(code)));
  running.kill(signal);
  return exited;
}

const storedCount = () => database.db.$count(readings);

describe("ingest killed mid-stream", () => {
  it("stores every published reading exactly once across kill -9 and restarts", async () => {
    // One second apart, 4,000 readings span 67 minutes: all in the past (none "in the future").
    const base = Date.now() - 2 * 60 * 60_000;
    const expected = new Set<string>();
    const publisher = await connectPublisher(broker.url);
    child = await startChild();

    let published = 0;
    const publishing = (async () => {
      for (let start = 0; start < MESSAGES; start += ROUND) {
        const sends: Promise<unknown>[] = [];
        for (let k = start; k < start + ROUND; k += 1) {
          const device = devices[k % SENSORS];
          if (!device) throw new Error("no device");
          const ts = base + k * 1000;
          expected.add(`${device.sensorId}:${ts}`);
          sends.push(
            publisher.publish(readingsTopic(device.deviceId), JSON.stringify({ ts, tempC: 4 + (k % 30) / 10, seq: k })),
          );
        }
        await Promise.all(sends);
        published += ROUND;
        await new Promise((resolve) => setTimeout(resolve, ROUND_PAUSE_MS));
      }
    })();

    const exits: { at: number; signal: string; code: number | null }[] = [];
    const plan = killPlan(KILLS, MESSAGES);
    for (const [threshold, signal] of plan) {
      await waitFor(`${threshold} stored`, async () => (await storedCount()) >= threshold, 30_000);
      const at = await storedCount();
      exits.push({ at, signal, code: await stopChild(signal) });
      // While it is down the broker queues for the persistent sessions.
      await new Promise((resolve) => setTimeout(resolve, 200));
      child = await startChild();
    }
    await publishing;
    await waitFor("all readings stored", async () => (await storedCount()) >= MESSAGES, 30_000);
    await publisher.close();
    const graceful = await stopChild("SIGTERM");

    const rows = await database.db.select({ sensorId: readings.sensorId, ts: readings.ts }).from(readings);
    const stored = rows.map((row) => `${row.sensorId}:${row.ts.getTime()}`);
    expect(published).toBe(MESSAGES);
    expect(stored).toHaveLength(MESSAGES);
    expect(new Set(stored)).toEqual(expected);
    expect(await database.db.$count(deadLetters)).toBe(0);
    // A graceful stop exits 0; kill -9 exits by signal (code null).
    expect(exits.map((exit) => exit.code)).toEqual(plan.map(([, signal]) => (signal === "SIGTERM" ? 0 : null)));
    expect(graceful).toBe(0);
    console.log(`kills at stored counts ${exits.map((exit) => `${exit.at} (${exit.signal})`).join(", ")}`);
  }, 180_000);
});

/**
 * Where to kill: `kills` stored-row counts spread at random over the stream (a fixed seed, so a
 * failure replays), all SIGKILL but one SIGTERM in the middle.
 */
function killPlan(kills: number, messages: number): [number, "SIGKILL" | "SIGTERM"][] {
  let seed = 20_261_125;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const span = (messages * 0.9) / kills;
  return Array.from({ length: kills }, (_, i) => [
    Math.round(messages * 0.05 + i * span + random() * span * 0.8),
    i === Math.floor(kills / 2) ? "SIGTERM" : "SIGKILL",
  ]);
}
