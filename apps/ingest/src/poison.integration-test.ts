import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { createLogger } from "@rantai/core/kernel/logger";
import { createDatabase, type DatabaseHandle, deadLetters, ingestMessageAttempts, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { Registry } from "prom-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAlarmMetrics } from "./alarm-metrics";
import { createFlush } from "./flush";
import { withoutFoundRows } from "./ingest";
import { type IngestMessage, routeMessage, rowsOf } from "./message";
import { messageKey, POISON_REASON_CODE, pruneAttempts, recordAttempt } from "./message-attempts";
import { createMetrics } from "./metrics";
import { createPoisonGuard, createPoisonMetrics, type SuspectMessage, type TrackedMessage } from "./poison";
import { createSensorCache } from "./sensor-cache";
import { waitFor } from "./testing/helpers";

/*
 * The poison guard on the real database with ingest's real flush. The fault is injected in
 * front of the flush: a payload carrying MARK makes it throw as a bug in processing would.
 * Crashes of the whole process are tested in poison-crash.integration-test.ts.
 */
const MARK = "poison-test-mark";
const MAX_ATTEMPTS = 3;

let database: TestDatabase;
let ingestDb: DatabaseHandle;
const devices: { deviceId: string; sensorId: number }[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  database = await createTestDatabase(services.mysqlServerUrl, "poison");
  ingestDb = createDatabase({ url: withoutFoundRows(database.url), poolSize: 3 });
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Kasihan I" });
  for (const deviceId of ["RTS-POISON-A", "RTS-POISON-B"])
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
});

afterAll(async () => {
  await ingestDb?.close();
  await database?.destroy();
});

beforeEach(async () => {
  await database.db.delete(readings);
  await database.db.delete(deadLetters);
  await database.db.delete(ingestMessageAttempts);
});

const base = Date.now() - 60 * 60_000;

function message(device: number, k: number, extra = ""): IngestMessage {
  const deviceId = devices[device]?.deviceId ?? "missing";
  const topic = readingsTopic(deviceId);
  const payload = Buffer.from(`{"ts":${base + k * 1000},"tempC":4.5${extra}}`);
  const receivedAt = new Date();
  const route = routeMessage(topic, payload, receivedAt);
  return { topic, payload, receivedAt, route, rows: rowsOf(route), settle: () => {} };
}

function setup(options: { fail?: (messages: readonly IngestMessage[]) => Error | null } = {}) {
  const registry = new Registry();
  const metrics = createMetrics();
  const realFlush = createFlush({
    db: ingestDb.db,
    sensors: createSensorCache(),
    metrics,
    alarmMetrics: createAlarmMetrics(registry),
    maxRows: 1000,
  });
  const calls: { payloads: string[]; failed: boolean }[] = [];
  const flush = async (messages: readonly IngestMessage[]) => {
    const failure = options.fail?.(messages) ?? null;
    calls.push({ payloads: messages.map((m) => m.payload.toString()), failed: failure !== null });
    if (failure) throw failure;
    await realFlush(messages);
  };
  const events: string[] = [];
  const guard = createPoisonGuard({
    db: ingestDb.db,
    maxAttempts: MAX_ATTEMPTS,
    flush,
    logger: createLogger({ service: "ingest", destination: { write: (line) => events.push(JSON.parse(line).msg) } }),
    metrics: createPoisonMetrics(registry),
    backoffInitialMs: 1,
    backoffMaxMs: 5,
  });
  return { guard, flush, calls, events, metrics };
}

const bug = (messages: readonly IngestMessage[]) =>
  messages.some((m) => m.payload.includes(MARK)) ? new TypeError("simulated bug in processing") : null;

const storedTs = async () =>
  (await database.db.select({ ts: readings.ts }).from(readings)).map((row) => row.ts.getTime()).sort();

const attemptRows = () => database.db.select().from(ingestMessageAttempts);

function asSuspect(m: IngestMessage, settled: string[]): SuspectMessage {
  return { ...m, prepare: () => m, settle: () => settled.push(m.payload.toString()) };
}

describe("a flush that fails for one message", () => {
  it("commits the others, charges the culprit alone and quarantines it after the limit", async () => {
    const { guard, flush, calls, metrics } = setup({ fail: bug });
    const a1 = message(0, 1);
    const poison = message(0, 2, `,"note":"${MARK}"`);
    const a3 = message(0, 3);
    const b4 = message(1, 4);

    await guard.guardFlush(flush)([a1, poison, a3, b4]);

    // The batch failed once, then each message went alone: the innocents committed at once, the
    // culprit failed alone until its recorded attempts reached the limit (batch + 3 alone).
    expect(calls.filter((call) => call.failed)).toHaveLength(MAX_ATTEMPTS + 1);
    expect(calls.filter((call) => call.payloads.includes(poison.payload.toString()))).toHaveLength(MAX_ATTEMPTS + 1);
    expect(await storedTs()).toEqual([base + 1000, base + 3000, base + 4000]);
    const letters = await database.db.select().from(deadLetters);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      reasonCode: POISON_REASON_CODE,
      topic: poison.topic,
      deviceId: devices[0]?.deviceId,
      payloadBytes: poison.payload.length,
    });
    expect(letters[0]?.payload.equals(poison.payload)).toBe(true);
    expect(letters[0]?.reason).toContain("3 times (attempt 4 refused)");
    expect(letters[0]?.payloadSha256).toMatch(/^[0-9a-f]{64}$/);
    // Innocents' rows are gone once committed; the culprit's stays (a late redelivery is refused).
    expect(await attemptRows()).toMatchObject([
      { messageKey: messageKey(poison.topic, poison.payload), attempts: MAX_ATTEMPTS + 1 },
    ]);
    expect((await metrics.readingsStored.get()).values[0]?.value).toBe(3);

    // The broker redelivers it (its PUBACK was lost): acked again, never processed, never a second letter.
    const settled: string[] = [];
    expect(await guard.handleSuspect(asSuspect(poison, settled), "redelivered")).toBe(true);
    expect(settled).toEqual([poison.payload.toString()]);
    expect(calls.filter((call) => call.payloads.includes(poison.payload.toString()))).toHaveLength(MAX_ATTEMPTS + 1);
    expect(await database.db.$count(deadLetters)).toBe(1);
  });

  it("throws a database outage back to the batcher and charges nobody", async () => {
    const outage = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });
    const { guard, flush } = setup({ fail: () => outage });
    await expect(guard.guardFlush(flush)([message(0, 1), message(1, 2)])).rejects.toBe(outage);
    expect(await attemptRows()).toEqual([]);
    expect(await database.db.$count(deadLetters)).toBe(0);
  });
});

describe("redelivered messages", () => {
  it("are recorded before they are processed, in one round, and forgotten once committed", async () => {
    const { guard, flush } = setup();
    const guarded = guard.guardFlush(flush);
    const first = [message(0, 1), message(1, 2), message(0, 3)];
    const processed: TrackedMessage[] = [];
    const rowsWhenProcessed: number[] = [];
    await new Promise<void>((resolve) => {
      for (const m of first)
        guard.handleRedelivery(asSuspect(m, []), async (attemptKey) => {
          processed.push({ ...m, attemptKey });
          rowsWhenProcessed.push((await attemptRows()).length);
          if (processed.length === first.length) resolve();
        });
    });
    // All three were on record (attempts 1) before the first of them was processed.
    expect(rowsWhenProcessed[0]).toBe(3);
    expect((await attemptRows()).map((row) => row.attempts)).toEqual([1, 1, 1]);
    await guarded(processed);
    expect(await storedTs()).toEqual([base + 1000, base + 2000, base + 3000]);
    expect(await attemptRows()).toEqual([]);
  });

  it("one already on record (its process died) becomes a suspect: counted, processed alone", async () => {
    const { guard, calls } = setup();
    const m = message(0, 5);
    await recordAttempt(ingestDb.db, m, {
      key: messageKey(m.topic, m.payload),
      maxAttempts: MAX_ATTEMPTS,
      at: new Date(),
    });
    const settled: string[] = [];
    let processedNormally = false;
    guard.handleRedelivery(asSuspect(m, settled), () => {
      processedNormally = true;
    });
    await waitFor("suspect settled", () => settled.length === 1, 10_000);
    expect(processedNormally).toBe(false);
    expect(calls).toEqual([{ payloads: [m.payload.toString()], failed: false }]);
    expect(await storedTs()).toEqual([base + 5000]);
    expect(await attemptRows()).toEqual([]);
  });
});

describe("suspects", () => {
  it("are committed alone and acked in order, and their attempt rows removed", async () => {
    const { guard } = setup();
    const suspects = [message(0, 1), message(1, 2), message(0, 3)];
    const settled: string[] = [];
    const results = await Promise.all(suspects.map((m) => guard.handleSuspect(asSuspect(m, settled), "redelivered")));
    expect(results).toEqual([true, true, true]);
    expect(settled).toEqual(suspects.map((m) => m.payload.toString()));
    expect(await storedTs()).toEqual([base + 1000, base + 2000, base + 3000]);
    expect(await attemptRows()).toEqual([]);
  });

  it("a crash point sees only the current suspect's attempt on record", async () => {
    const { flush } = setup();
    const registry = new Registry();
    const recordedAtCrashPoint: number[] = [];
    const keysAtCrashPoint: string[][] = [];
    let pendingQuery: Promise<void> = Promise.resolve();
    const guard = createPoisonGuard({
      db: ingestDb.db,
      maxAttempts: MAX_ATTEMPTS,
      flush: async (messages) => {
        await pendingQuery;
        await flush(messages);
      },
      logger: createLogger({ service: "ingest", level: "silent" }),
      metrics: createPoisonMetrics(registry),
      beforeProcessing: () => {
        pendingQuery = attemptRows().then((rows) => {
          recordedAtCrashPoint.push(rows.length);
          keysAtCrashPoint.push(rows.map((row) => row.messageKey));
        });
      },
    });
    const suspects = [message(0, 1), message(1, 2), message(0, 3), message(1, 4)];
    await Promise.all(suspects.map((m) => guard.handleSuspect(asSuspect(m, []), "redelivered")));
    expect(recordedAtCrashPoint).toEqual([1, 1, 1, 1]);
    expect(keysAtCrashPoint).toEqual(suspects.map((m) => [messageKey(m.topic, m.payload)]));
  });
});

describe("pruneAttempts", () => {
  it("deletes rows not touched for a day, keeps the others", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 25 * 60 * 60_000);
    const recent = message(0, 1);
    const stale = message(1, 2);
    await recordAttempt(ingestDb.db, stale, { key: "a".repeat(64), maxAttempts: MAX_ATTEMPTS, at: old });
    await recordAttempt(ingestDb.db, recent, { key: "b".repeat(64), maxAttempts: MAX_ATTEMPTS, at: now });
    expect(await pruneAttempts(ingestDb.db, new Date(now.getTime() - 24 * 60 * 60_000))).toBe(1);
    expect((await attemptRows()).map((row) => row.messageKey)).toEqual(["b".repeat(64)]);
  });
});
