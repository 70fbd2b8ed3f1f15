import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { MAX_PAYLOAD_BYTES, readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { deadLetters, readings } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { and, eq } from "drizzle-orm";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBroker, type TestBroker } from "./testing/broker";
import { connectPublisher, startIngestChild, waitFor } from "./testing/helpers";
import { generateBarrage, type HostilePayload } from "./testing/hostile-payloads";

/*
 * One bad device must never stop every fridge. 100,000 generated hostile payloads (deep nesting,
 * huge and empty arrays, long strings and keys, numbers beyond double range, reserved and
 * duplicate keys, invalid UTF-8, byte-order marks, NUL, wrong types, ambiguous envelopes,
 * random bytes and JSON, payloads at the broker's size limit) go through a real Mosquitto to a
 * real ingest process. The process never exits; every payload is accounted for exactly once, as
 * a stored reading or a dead letter (matched by topic and SHA-256 of the payload); payloads
 * past the broker's max_packet_size are refused by the broker and reach nothing; and a good
 * reading after the barrage is stored within a second.
 */
const PAYLOADS = 100_000;
/** Generated to have PAYLOADS distinct messages once repeats are left out. */
const GENERATED = 125_000;
const SENSORS = 24;
const PUBLISHERS = 8;
/** Unacknowledged QoS 1 publishes per publisher connection. */
const IN_FLIGHT = 50;
const INGEST_CONNECTIONS = 256;
/** Payloads published but not yet stored or dead-lettered, at most. */
const BACKLOG = 10_000;
/** With a backlog waiting, this long without a new row means ingest is stuck or gone. */
const STALL_MS = 30_000;

let broker: TestBroker;
let database: TestDatabase;
let child: ChildProcess | null = null;
const output: string[] = [];
const devices: { deviceId: string; sensorId: number }[] = [];

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  const services = readTestServices(process.env);
  [broker, database] = await Promise.all([startTestBroker(), createTestDatabase(services.mysqlServerUrl, "hostile")]);
  const facility = await createOrgUnit(database.db, { parent: null, level: "facility", name: "Puskesmas Kalasan" });
  for (let i = 0; i < SENSORS; i += 1) {
    const deviceId = `RTS-HOSTILE-${i}`;
    devices.push({ deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId });
  }
  child = await startIngestChild({
    databaseUrl: database.url,
    brokerUrl: broker.url,
    clientId: "ingest-hostile-test",
    connections: INGEST_CONNECTIONS,
    output,
  });
}, 120_000);

afterAll(async () => {
  child?.kill("SIGKILL");
  await database?.destroy();
  await broker?.destroy();
});

const countRows = async () => (await database.db.$count(deadLetters)) + (await database.db.$count(readings));
const keyOf = (topic: string, payload: Buffer) => `${topic}\n${createHash("sha256").update(payload).digest("hex")}`;

/**
 * Publishes everything at QoS 1 over several connections, each with a bounded window, and keeps
 * at most BACKLOG payloads ahead of what ingest has committed. Without that bound the broker's
 * queues would hold a minute's work, and an ingest connection that holds a message while its
 * queue is that long answers no PINGREQ: mqtt.js reconnects after 1.5 × keepalive and the
 * broker redelivers what was committed but not yet acknowledged (see "Ingest delivery
 * guarantees" in docs/sensor-protocol.md) — a backlog test, not this one.
 */
async function publishAll(payloads: readonly HostilePayload[], accounted: () => Promise<number>): Promise<void> {
  const clients = await Promise.all(
    Array.from({ length: PUBLISHERS }, (_, i) =>
      connectAsync(broker.url, { clientId: `hostile-pub-${i}`, protocolVersion: 5, clean: true, reconnectPeriod: 0 }),
    ),
  );
  let published = 0;
  let committed = 0;
  let publishing = true;
  let progressAt = Date.now();
  const poll = (async () => {
    while (publishing) {
      const now = await accounted();
      if (now > committed) progressAt = Date.now();
      committed = now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await Promise.all(
      clients.map(async (client, c) => {
        const mine = payloads.filter((_, i) => i % PUBLISHERS === c);
        // Without reconnects a closed connection would leave its publishes pending for ever.
        const closed = new Promise<never>((_, reject) =>
          client.once("close", () => reject(new Error(`publisher ${c} was disconnected`))),
        );
        closed.catch(() => undefined);
        let next = 0;
        const lane = async () => {
          while (next < mine.length) {
            while (published - committed >= BACKLOG) {
              if (child?.exitCode !== null || child?.signalCode !== null || Date.now() - progressAt > STALL_MS) {
                throw new Error(
                  `ingest stopped taking messages (${committed} of ${published} accounted for, exit ${child?.exitCode ?? child?.signalCode}):\n${output.join("").slice(-1500)}`,
                );
              }
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
            const item = mine[next];
            if (item === undefined) break;
            next += 1;
            published += 1;
            await Promise.race([client.publishAsync(item.topic, item.payload, { qos: 1 }), closed]);
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      }),
    );
  } finally {
    publishing = false;
    await poll;
    await Promise.all(clients.map((client) => client.endAsync()));
  }
}

/** A payload the broker must refuse: its connection is closed and no PUBACK ever comes. */
async function publishOversize(topic: string, payload: Buffer): Promise<"refused" | "acknowledged"> {
  const client: MqttClient = await connectAsync(broker.url, {
    clientId: `hostile-big-${payload.length}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
  });
  const closed = new Promise<"refused">((resolve) => client.once("close", () => resolve("refused")));
  const acked = client
    .publishAsync(topic, payload, { qos: 1 })
    .then(() => "acknowledged" as const)
    .catch(() => "refused" as const);
  const outcome = await Promise.race([closed, acked]);
  await client.endAsync(true);
  return outcome;
}

describe("a barrage of hostile payloads through the real broker into a real ingest process", () => {
  it("stores or dead-letters every one exactly once, never exits, and then stores a good reading within a second", async () => {
    const firstTs = Date.now() - 2 * 3_600_000;
    const started = performance.now();
    // One dead letter per message: the same bytes on the same topic are the same message (a
    // redelivery), so the barrage sends each (topic, payload) once — some generated kinds repeat.
    const generated = generateBarrage({ count: GENERATED, devices: devices.map((d) => d.deviceId), firstTs });
    const seen = new Set<string>();
    const payloads = generated
      .filter((item) => {
        const key = keyOf(item.topic, item.payload);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .slice(0, PAYLOADS);
    expect(payloads).toHaveLength(PAYLOADS);

    // At the broker's limit: Mosquitto compares max_packet_size (256 KiB) with the packet's
    // remaining length — topic (2 + its bytes), packet id (2), properties and payload — so the
    // biggest payloads it passes are a little under 256 KiB (these are within 16 bytes of it).
    // Ingest's own limit of 256 KiB of payload, and anything bigger, never leave the broker.
    const edgeDevice = devices[0]?.deviceId ?? "";
    const edgeTopic = readingsTopic(edgeDevice);
    const headerBytes = 2 + Buffer.byteLength(edgeTopic) + 2 + 1;
    const fits = MAX_PAYLOAD_BYTES - headerBytes - 16;
    const edgeTs = firstTs + GENERATED + 1;
    const atLimit: HostilePayload[] = [
      // Valid, padded with spaces to the last byte: stored.
      {
        kind: "at_limit_valid",
        topic: edgeTopic,
        deviceId: edgeDevice,
        expect: "stored",
        ts: edgeTs,
        payload: Buffer.from(`{"ts":${edgeTs},"tempC":4.5}`.padEnd(fits, " ")),
      },
      {
        kind: "at_limit_deep",
        topic: edgeTopic,
        deviceId: edgeDevice,
        expect: "dead_letter",
        payload: Buffer.from("[".repeat(Math.floor(fits / 2)).padEnd(fits, "]")),
      },
      {
        kind: "at_limit_string",
        topic: edgeTopic,
        deviceId: edgeDevice,
        expect: "dead_letter",
        payload: Buffer.from(`"${"x".repeat(fits - 2)}"`),
      },
    ];
    for (const item of atLimit) expect(item.payload.length).toBe(fits);
    const generatedMs = Math.round(performance.now() - started);
    await publishAll([...payloads, ...atLimit], countRows);
    const sent = [...payloads, ...atLimit];
    console.log(`generated in ${generatedMs} ms, published after ${Math.round(performance.now() - started)} ms`);

    const past = [MAX_PAYLOAD_BYTES - headerBytes + 64, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES + 1, 1_048_576].map(
      (size) => Buffer.from(`{"ts":${firstTs},"tempC":4.5}`.padEnd(size, " ")),
    );
    for (const payload of past) expect(await publishOversize(edgeTopic, payload)).toBe("refused");
    const publishedMs = Math.round(performance.now() - started);

    let lastReport = 0;
    await waitFor(
      "every payload stored or dead-lettered",
      async () => {
        if (child?.exitCode !== null || child?.signalCode !== null) {
          throw new Error(`ingest exited (${child?.exitCode ?? child?.signalCode}):\n${output.join("").slice(-2000)}`);
        }
        const rows = await countRows();
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          console.log(`${Math.round(lastReport - started)} ms: ${rows} of ${sent.length} accounted for`);
        }
        return rows >= sent.length;
      },
      150_000,
    );
    const drainedMs = Math.round(performance.now() - started);
    // Nothing more arrives (no payload counted twice, none of the refused ones).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(child?.exitCode).toBeNull();
    expect(child?.signalCode).toBeNull();

    // Per payload: a dead letter with its topic and hash, or its reading (sensor, ts).
    const letters = await database.db
      .select({ topic: deadLetters.topic, sha: deadLetters.payloadSha256, code: deadLetters.reasonCode })
      .from(deadLetters);
    const unmatched = new Map<string, number>();
    const codes = new Map<string, number>();
    for (const letter of letters) {
      const key = `${letter.topic}\n${letter.sha}`;
      unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
      codes.set(letter.code, (codes.get(letter.code) ?? 0) + 1);
    }
    const stored = new Set(
      (await database.db.select({ sensorId: readings.sensorId, ts: readings.ts }).from(readings)).map(
        (row) => `${row.sensorId}:${row.ts.getTime()}`,
      ),
    );
    const sensorOf = new Map(devices.map((device) => [device.deviceId, device.sensorId]));
    const wrong: string[] = [];
    let storedCount = 0;
    for (const item of sent) {
      const key = keyOf(item.topic, item.payload);
      const letter = unmatched.get(key) ?? 0;
      const reading = item.ts !== undefined && stored.has(`${sensorOf.get(item.deviceId)}:${item.ts}`);
      if (item.expect === "dead_letter" && letter > 0 && !reading) unmatched.set(key, letter - 1);
      else if (item.expect === "stored" && reading && letter === 0) storedCount += 1;
      else if (wrong.length < 10)
        wrong.push(`${item.kind} on ${item.topic}: dead letter ${letter}, reading ${reading}`);
    }
    expect(wrong).toEqual([]);
    const leftover = [...unmatched.values()].reduce((sum, n) => sum + n, 0);
    if (leftover > 0) {
      // Which kinds were dead-lettered more than once, and what ingest logged besides info.
      const kindOf = new Map(sent.map((item) => [keyOf(item.topic, item.payload), item.kind]));
      const extra = new Map<string, number>();
      for (const [key, n] of unmatched) {
        const kind = kindOf.get(key) ?? "unknown payload";
        if (n > 0) extra.set(kind, (extra.get(kind) ?? 0) + n);
      }
      const logged = output.join("").split("\n");
      console.log(`extra dead letters: ${JSON.stringify(Object.fromEntries(extra))}`);
      console.log(logged.filter((line) => line !== "" && !line.includes('"level":"info"')).slice(0, 20));
    }
    expect(leftover).toBe(0);
    expect(storedCount).toBe(stored.size);
    expect(storedCount + letters.length).toBe(sent.length);
    // Every refusal is one of the protocol's reasons; none is a fault of ingest itself.
    expect(codes.get("internal_error") ?? 0).toBe(0);
    expect(output.join("")).not.toMatch(/"msg":"(uncaught_exception|unhandled_rejection|message_failed)"/);

    // Alive and quick: a good reading after the barrage is stored within a second.
    const device = devices[1] ?? { deviceId: "", sensorId: 0 };
    const publisher = await connectPublisher(broker.url);
    const goodTs = Date.now() - 1000;
    const sentAt = performance.now();
    await publisher.publish(readingsTopic(device.deviceId), JSON.stringify({ ts: goodTs, tempC: 4.2 }));
    await waitFor(
      "the good reading",
      async () =>
        (await database.db.$count(
          readings,
          and(eq(readings.sensorId, device.sensorId), eq(readings.ts, new Date(goodTs))),
        )) === 1,
      5000,
    );
    const goodMs = Math.round(performance.now() - sentAt);
    await publisher.close();
    console.log(
      `hostile barrage: ${sent.length} payloads (${Math.round(sent.reduce((sum, item) => sum + item.payload.length, 0) / 1e6)} MB) + ${past.length} refused by the broker; ` +
        `published in ${publishedMs} ms, all accounted for after ${drainedMs} ms (${storedCount} stored, ${letters.length} dead letters); ` +
        `good reading stored ${goodMs} ms after publishing; codes ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    expect(goodMs).toBeLessThan(1000);
    expect(child?.exitCode).toBeNull();
  }, 240_000);
});
