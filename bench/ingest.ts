import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createDatabase } from "@rantai/db";
import { dropDatabase } from "@rantai/db/migrate";
import { readTestServices } from "@rantai/db/testing";
import { connectAsync } from "mqtt";
import type { RowDataPacket } from "mysql2/promise";
import { buildIngest, ingestNodeArgs } from "../apps/ingest/build.mjs";
import { INGEST_READ_TOPICS } from "../apps/ingest/src/broker-auth/files";
import { syncBrokerAuth } from "../apps/ingest/src/broker-auth/sync";
import { runPartitionJob } from "../apps/ingest/src/maintenance/job";
import { freePort, startTestBroker, type TestBroker } from "../apps/ingest/src/testing/broker";
import { startTcpProxy } from "../apps/ingest/src/testing/tcp-proxy";
import {
  benchDeviceId,
  createBenchDatabase,
  INTERVAL_MS,
  median,
  memoryOf,
  type PublisherCommand,
  type PublisherReport,
  percentile,
  READINGS_PER_SENSOR,
} from "./common";
import {
  compareStored,
  countPublishedBefore,
  firstReaching,
  readBrokerQueueLimits,
  startRssSampler,
  survivableOutageSeconds,
} from "./outage";
import type { RawBaselineConfig } from "./raw-baseline";

/*
 * `npm run bench:ingest [-- --full | --steady | --outage SECONDS [--settle SECONDS]] [--sensors N]
 *   [--runs N] [--replicas N] [--connections N] [--batch-rows N] [--lanes N] [--profile]`
 *
 * Storm (default): N sensors (2,000; --full 20,000) each flush a day of 5-minute readings as
 * one `{"readings":[…288…]}` message, published with QoS 1 by several publisher processes
 * through a private Mosquitto (the project's template, with password and ACL files) into a
 * fresh database. Measured twice on the same broker config, database server and payloads:
 *   1. Rantai ingest, as a child process, built and started as in production (apps/ingest/build.mjs);
 *   2. bench/raw-baseline.ts: bare mqtt.js + multi-row INSERTs, acking on receipt.
 * Both get the same settings: --connections MQTT connections (default 64, ingest's default),
 * --batch-rows rows per INSERT (5,000) and --lanes INSERTs in flight at once (2). Runs alternate
 * which of the two goes first. --replicas N runs N ingest processes sharing the subscription
 * (how ingest scales; one per core), reported as one consumer with the largest process's RSS.
 * Reports committed readings/s (first to last commit), lag after the last publish, ingest's
 * peak RSS (VmHWM) and exact lost/duplicated counts from the database.
 *
 * Steady (--steady): 20,000 sensors, one reading a minute each, for --duration seconds
 * (default 120): publish-to-commit latency (p50/p99), and publish-to-alarm latency when
 * ingest raises alarms (skipped otherwise).
 *
 * Outage (--outage SECONDS): the steady national load, and after --settle seconds (default 60)
 * the database is cut for ingest alone (its connections go through a TCP proxy that drops them
 * and refuses new ones) for SECONDS while publishing goes on. Samples ingest's VmRSS every
 * second, restores the database, publishes on until ingest has caught up, then compares the
 * stored set with the published one. Prints ingest's RSS before and during the outage, the
 * outage the broker's queues survive at this load (promise B4), the time from the database's
 * return until every reading published before it was stored, and lost/duplicated readings.
 */
const { values: flags } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    steady: { type: "boolean", default: false },
    sensors: { type: "string" },
    runs: { type: "string", default: "1" },
    connections: { type: "string" },
    "batch-rows": { type: "string", default: "5000" },
    "batch-wait-ms": { type: "string" },
    lanes: { type: "string", default: "2" },
    replicas: { type: "string", default: "1" },
    publishers: { type: "string", default: "2" },
    duration: { type: "string", default: "120" },
    outage: { type: "string" },
    settle: { type: "string", default: "60" },
    profile: { type: "boolean", default: false },
    // Experiments: ingest alone, no raw baseline and no ratio.
    "ingest-only": { type: "boolean", default: false },
    // Experiments: the broker's max_queued_messages per session (shows what a too small queue loses).
    "broker-queue": { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const mode = flags.outage ? "outage" : flags.steady ? "steady" : "storm";
const sensorCount = Number(flags.sensors ?? (flags.full || mode !== "storm" ? 20_000 : 2000));
const runs = Number(flags.runs);
// Defaults as ingest's own (apps/ingest/src/env.ts); the raw baseline gets the same.
const connections = Number(flags.connections ?? 64);
const publishers = Number(flags.publishers);
const root = fileURLToPath(new URL("..", import.meta.url));
const serverUrl = readTestServices(process.env).mysqlServerUrl;
const say = (line: string) => console.log(line);

const PASSWORDS = {
  ingest: randomBytes(18).toString("hex"),
  raw: randomBytes(18).toString("hex"),
  publisher: randomBytes(18).toString("hex"),
};

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
process.on("SIGINT", () => {
  for (const child of children) child.kill("SIGKILL");
  void Promise.allSettled(cleanups.map((cleanup) => cleanup())).finally(() => process.exit(130));
});

function spawnNode(script: string, args: string[], env: Record<string, string> = {}) {
  return spawnProcess(["--import", "tsx", script, ...args], env);
}

function spawnProcess(nodeArgs: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** A broker and a database with `count` sensors, and the broker's files written from it. */
async function prepare(label: string, count: number) {
  const queue = flags["broker-queue"];
  const broker = await startTestBroker({
    auth: "password",
    editConfig: queue ? (config) => withBrokerQueue(config, Number(queue)) : undefined,
  });
  const url = `${serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`}rantai_bench_${label}_${randomBytes(3).toString("hex")}`;
  const sensorIds = await createBenchDatabase(url, count, (line) => say(`  ${line}`));
  const handle = createDatabase({ url, poolSize: 2 });
  await syncBrokerAuth(handle.db, {
    passwordFile: broker.passwordFile,
    aclFile: broker.aclFile,
    serviceAccounts: [
      { username: "ingest", password: PASSWORDS.ingest, read: INGEST_READ_TOPICS },
      { username: "svc-bench-raw", password: PASSWORDS.raw, read: INGEST_READ_TOPICS },
      { username: "svc-bench-pub", password: PASSWORDS.publisher, write: ["coldchain/v1/sensors/+/readings"] },
    ],
  });
  await broker.reload();
  // Both consumers write into daily partitions, as ingest's own job sets them up.
  await runPartitionJob(handle.pool, { retentionDays: 400, daysAhead: 14 });
  const cleanup = async () => {
    await handle.close().catch(() => undefined);
    if (!flags.keep) await dropDatabase(url).catch(() => undefined);
    await broker.destroy().catch(() => undefined);
  };
  cleanups.push(cleanup);
  return { broker, url, handle, sensorIds, cleanup };
}

function withBrokerQueue(config: string, messages: number): string {
  const line = /^max_queued_messages \d+$/m;
  if (!line.test(config) || !(messages > 0)) throw new Error("--broker-queue: no max_queued_messages line to change");
  return config.replace(line, `max_queued_messages ${Math.floor(messages)}`);
}

interface Consumer {
  pids: number[];
  stored(): Promise<number>;
  /** One of ingest's own counters or gauges, summed over replicas (0 where it has none). */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** `--replicas` ingest processes sharing the subscription, as one consumer. */
async function startIngest(broker: TestBroker, url: string): Promise<Consumer> {
  const replicas = await Promise.all(
    Array.from({ length: Number(flags.replicas) }, (_, i) => startIngestChild(broker, url, `bench-ingest-${i}`)),
  );
  return {
    pids: replicas.flatMap((replica) => replica.pids),
    stored: async () => (await Promise.all(replicas.map((replica) => replica.stored()))).reduce((a, b) => a + b, 0),
    metric: async (name) =>
      (await Promise.all(replicas.map((replica) => replica.metric(name)))).reduce((a, b) => a + b, 0),
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
    },
  };
}

/** The peak resident set of the largest of the consumer's processes (each replica is its own process). */
function peakOf(consumer: Consumer): number {
  return Math.max(0, ...consumer.pids.map((pid) => memoryOf(pid)?.peakMb ?? 0));
}

async function startIngestChild(broker: TestBroker, url: string, clientId: string): Promise<Consumer> {
  const httpPort = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: "4",
    MQTT_URL: broker.url,
    MQTT_USERNAME: "ingest",
    MQTT_PASSWORD: PASSWORDS.ingest,
    INGEST_CLIENT_ID: clientId,
    INGEST_CONNECTIONS: String(connections),
    INGEST_HTTP_HOST: "127.0.0.1",
    INGEST_HTTP_PORT: String(httpPort),
  };
  env.INGEST_BATCH_MAX_ROWS = flags["batch-rows"];
  if (flags["batch-wait-ms"]) env.INGEST_BATCH_MAX_WAIT_MS = flags["batch-wait-ms"];
  env.INGEST_FLUSH_LANES = flags.lanes;
  // Ingest as it runs in production: the bundle with its V8 flags (see apps/ingest/build.mjs).
  const profile = flags.profile ? ["--cpu-prof", `--cpu-prof-dir=${root}bench/profiles`] : [];
  const child = spawnProcess(ingestNodeArgs("main", profile), env);
  let output = "";
  const events = new Set<string>();
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    for (const match of chunk.toString().matchAll(/"msg":"([a-z_]+)"/g)) if (match[1]) events.add(match[1]);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  await waitUntil(
    "ingest ready and partitions checked",
    () => events.has("ingest_ready"),
    30_000,
    child,
    () => output,
  );
  // Polled every 50 ms: one metric per request, so the polling costs ingest next to nothing.
  const metric = async (name: string) => {
    const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics?name[]=${name}`)).text();
    return Number(new RegExp(`^${name} ([\\d.e+]+)`, "m").exec(text)?.[1] ?? 0);
  };
  return {
    pids: [child.pid ?? 0],
    stored: () => metric("rantai_ingest_readings_stored_total"),
    metric,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function startRawChild(broker: TestBroker, url: string): Promise<Consumer> {
  const child = spawnNode("bench/raw-baseline.ts", []);
  let stored = 0;
  let ready = false;
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.on("message", (message: { kind: "ready" } | { kind: "stored"; stored: number }) => {
    if (message.kind === "ready") ready = true;
    else stored = message.stored;
  });
  const config: RawBaselineConfig = {
    kind: "config",
    databaseUrl: url,
    mqttUrl: broker.url,
    username: "svc-bench-raw",
    password: PASSWORDS.raw,
    connections,
    batchRows: Number(flags["batch-rows"]),
    // As many INSERTs in flight as ingest has flush lanes: the same database concurrency.
    concurrency: Number(flags.lanes),
  };
  child.send(config);
  await waitUntil(
    "raw baseline subscribed",
    () => ready,
    30_000,
    child,
    () => output,
  );
  return {
    pids: [child.pid ?? 0],
    stored: async () => stored,
    metric: async () => 0,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function waitUntil(
  what: string,
  check: () => boolean,
  timeoutMs: number,
  child: ChildProcess,
  output: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (child.exitCode !== null) throw new Error(`${what}: process exited (${child.exitCode})\n${output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the publisher processes with their share of the sensors; resolves when all are ready. */
async function startPublishers(indexes: number[], task: (slice: number[]) => PublisherCommand) {
  const done: Promise<Extract<PublisherReport, { kind: "done" }>>[] = [];
  const ready: Promise<void>[] = [];
  const procs: ChildProcess[] = [];
  let published = 0;
  const progress = new Map<number, number>();
  for (let p = 0; p < publishers; p += 1) {
    const slice = indexes.filter((_, i) => i % publishers === p);
    const child = spawnNode("bench/publisher.ts", []);
    child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[publisher ${p}] ${chunk.toString()}`));
    procs.push(child);
    ready.push(new Promise((resolve) => child.on("message", (m: PublisherReport) => m.kind === "ready" && resolve())));
    done.push(
      new Promise((resolve) =>
        child.on("message", (m: PublisherReport) => {
          if (m.kind === "done") resolve(m);
          if (m.kind === "progress") {
            progress.set(p, m.published);
            published = [...progress.values()].reduce((a, b) => a + b, 0);
          }
        }),
      ),
    );
    child.send(task(slice));
  }
  await Promise.all(ready);
  return {
    go() {
      for (const child of procs) child.send({ kind: "go" } satisfies PublisherCommand);
      return Promise.all(done);
    },
    stop() {
      for (const child of procs) child.send({ kind: "stop" } satisfies PublisherCommand);
    },
    published: () => published,
  };
}

interface StormResult {
  readingsPerSecond: number;
  firstCommitS: number;
  lagS: number;
  publishS: number;
  peakRssMb: number;
  lost: number;
  duplicated: number;
  unexpected: number;
}

async function storm(label: "ingest" | "raw", run: number): Promise<StormResult> {
  const env = await prepare(`${label}${run}`, sensorCount);
  try {
    const consumer =
      label === "ingest" ? await startIngest(env.broker, env.url) : await startRawChild(env.broker, env.url);
    const indexes = Array.from({ length: sensorCount }, (_, i) => i);
    // A day ending 30 minutes ago, on the 5-minute grid: inside ingest's 30-day window.
    const dayStart = Math.floor((Date.now() - 24.5 * 3_600_000) / INTERVAL_MS) * INTERVAL_MS;
    const pubs = await startPublishers(indexes, (slice) => ({
      kind: "storm",
      url: env.broker.url,
      username: "svc-bench-pub",
      password: PASSWORDS.publisher,
      connections: 2,
      window: 64,
      indexes: slice,
      dayStart,
    }));
    const expected = sensorCount * READINGS_PER_SENSOR;
    const go = Date.now();
    let publishDoneAt = 0;
    const publishing = pubs.go().then((reports) => {
      publishDoneAt = Math.max(...reports.map((r) => r.lastAckAt));
      const failed = reports.reduce((sum, r) => sum + r.failed, 0);
      if (failed > 0) say(`  ${failed} publishes failed`);
    });
    let first = 0;
    let last = 0;
    let stored = 0;
    let peakRssMb = 0;
    let lastChange = Date.now();
    while (stored < expected) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = Date.now();
      const count = await consumer.stored();
      peakRssMb = Math.max(peakRssMb, peakOf(consumer));
      if (count > stored) {
        if (stored === 0) first = now;
        stored = count;
        last = now;
        lastChange = now;
      }
      if (publishDoneAt > 0 && now - lastChange > 30_000) {
        say(`  ${label}: no progress for 30 s at ${stored}/${expected}; giving up`);
        break;
      }
    }
    await publishing;
    peakRssMb = Math.max(peakRssMb, peakOf(consumer));
    await consumer.stop();
    const check = await checkStored(env.handle.pool, dayStart, expected);
    const result: StormResult = {
      readingsPerSecond: Math.round(stored / Math.max(0.001, (last - first) / 1000)),
      firstCommitS: (first - go) / 1000,
      lagS: Math.max(0, (last - publishDoneAt) / 1000),
      publishS: (publishDoneAt - go) / 1000,
      peakRssMb: Math.round(peakRssMb),
      ...check,
    };
    say(
      `  ${label.padEnd(6)} ${result.readingsPerSecond} readings/s (first commit +${result.firstCommitS.toFixed(1)} s, ` +
        `publishing took ${result.publishS.toFixed(1)} s, last commit ${result.lagS.toFixed(1)} s after the last publish), ` +
        `peak RSS ${result.peakRssMb} MB, lost ${result.lost}, duplicated ${result.duplicated}, unexpected ${result.unexpected}`,
    );
    return result;
  } finally {
    await env.cleanup();
  }
}

/** Exact comparison of the stored set with the published one (every sensor × 288 grid slots). */
async function checkStored(pool: ReturnType<typeof createDatabase>["pool"], dayStart: number, expected: number) {
  const from = new Date(dayStart);
  const to = new Date(dayStart + (READINGS_PER_SENSOR - 1) * INTERVAL_MS);
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS total, COUNT(DISTINCT sensor_id, ts) AS distinctRows,
            SUM(ts BETWEEN ? AND ? AND MOD(TIMESTAMPDIFF(SECOND, ?, ts), ${INTERVAL_MS / 1000}) = 0
                AND sensor_id IN (SELECT id FROM sensors WHERE device_id LIKE 'BENCH-%')) AS matched
       FROM readings`,
    [from, to, from],
  );
  const total = Number(rows[0]?.total ?? 0);
  const distinct = Number(rows[0]?.distinctRows ?? 0);
  const matched = Number(rows[0]?.matched ?? 0);
  return { lost: expected - matched, duplicated: total - distinct, unexpected: distinct - matched };
}

async function runStormMode() {
  say(
    `storm: ${sensorCount} sensors × ${READINGS_PER_SENSOR} = ${sensorCount * READINGS_PER_SENSOR} readings, ` +
      `${publishers} publisher processes × 2 connections (QoS 1), ${connections} consumer connections, ${runs} run(s)`,
  );
  const ingest: StormResult[] = [];
  const raw: StormResult[] = [];
  for (let run = 1; run <= runs; run += 1) {
    say(`run ${run}/${runs}`);
    // Alternate which goes first, so neither always meets a warmer (or busier) server.
    if (flags["ingest-only"]) {
      ingest.push(await storm("ingest", run));
    } else if (run % 2 === 1) {
      ingest.push(await storm("ingest", run));
      raw.push(await storm("raw", run));
    } else {
      raw.push(await storm("raw", run));
      ingest.push(await storm("ingest", run));
    }
  }
  const ingestRate = median(ingest.map((r) => r.readingsPerSecond));
  if (raw.length === 0) {
    say(`ingest readings/s: ${Math.round(ingestRate)}`);
    say(`ingest peak RSS MB: ${Math.round(median(ingest.map((r) => r.peakRssMb)))}`);
    return;
  }
  const rawRate = median(raw.map((r) => r.readingsPerSecond));
  say(`medians over ${runs} run(s); lost and duplicated are totals over all ingest runs`);
  say(`ingest readings/s: ${Math.round(ingestRate)}`);
  say(`raw readings/s: ${Math.round(rawRate)}`);
  say(`ingest/raw ratio: ${(ingestRate / rawRate).toFixed(2)}`);
  say(`lost: ${ingest.reduce((sum, r) => sum + r.lost, 0)}`);
  say(`duplicated: ${ingest.reduce((sum, r) => sum + r.duplicated, 0)}`);
  say(`ingest peak RSS MB: ${Math.round(median(ingest.map((r) => r.peakRssMb)))}`);
}

async function runSteadyMode() {
  const durationMs = Number(flags.duration) * 1000;
  say(`steady: ${sensorCount} sensors, one reading a minute each, for ${durationMs / 1000} s`);
  // One extra sensor, not in the steady set, receives an 11-hour heat excursion (alarm probe).
  const env = await prepare("steady", sensorCount + 1);
  try {
    const consumer = await startIngest(env.broker, env.url);
    const indexes = Array.from({ length: sensorCount }, (_, i) => i);
    const pubs = await startPublishers(indexes, (slice) => ({
      kind: "steady",
      url: env.broker.url,
      username: "svc-bench-pub",
      password: PASSWORDS.publisher,
      connections: 2,
      indexes: slice,
      durationMs,
      periodMs: 60_000,
    }));
    // Publish-to-commit: every 20th sensor is polled every 100 ms for its newest stored ts.
    const probes = indexes.filter((i) => i % 20 === 0).map((i) => env.sensorIds.get(benchDeviceId(i)) ?? 0);
    const newest = new Map<number, number>();
    const latencies: number[] = [];
    let polling = true;
    let peak = 0;
    const poller = (async () => {
      while (polling) {
        const [rows] = await env.handle.pool.query<RowDataPacket[]>(
          "SELECT sensor_id AS id, MAX(ts) AS ts FROM readings WHERE sensor_id IN (?) GROUP BY sensor_id",
          [probes],
        );
        const now = Date.now();
        for (const row of rows) {
          const ts = new Date(row.ts).getTime();
          if (ts > (newest.get(Number(row.id)) ?? 0)) {
            if (newest.has(Number(row.id)) || now - ts < 60_000) latencies.push(now - ts);
            newest.set(Number(row.id), ts);
          }
        }
        peak = Math.max(peak, peakOf(consumer));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const publishing = pubs.go();
    await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, durationMs / 4)));
    const alarm = await measureAlarm(env.broker, env.handle.pool, env.sensorIds.get(benchDeviceId(sensorCount)) ?? 0);
    const reports = await publishing;
    const published = reports.reduce((sum, r) => sum + r.published, 0);
    // Wait for the backlog to drain: until everything is stored, or nothing moved for 30 s.
    const publishEnd = Date.now();
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const [rows] = await env.handle.pool.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM readings WHERE sensor_id <> ?",
        [env.sensorIds.get(benchDeviceId(sensorCount)) ?? 0],
      );
      const n = Number(rows[0]?.n);
      if (n >= published) break;
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > 30_000) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainS = (Date.now() - publishEnd) / 1000;
    polling = false;
    await poller;
    peak = Math.max(peak, peakOf(consumer));
    await consumer.stop();
    const probe = env.sensorIds.get(benchDeviceId(sensorCount)) ?? 0;
    const [counts] = await env.handle.pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS total, COUNT(DISTINCT sensor_id, ts) AS distinctRows,
              MAX(TIMESTAMPDIFF(MICROSECOND, ts, received_at)) / 1000 AS maxReceiveMs
         FROM readings WHERE sensor_id <> ?`,
      [probe],
    );
    const [receive] = await env.handle.pool.query<RowDataPacket[]>(
      "SELECT TIMESTAMPDIFF(MICROSECOND, ts, received_at) / 1000 AS ms FROM readings WHERE sensor_id <> ?",
      [probe],
    );
    const receiveMs = receive.map((row) => Number(row.ms));
    const total = Number(counts[0]?.total ?? 0);
    const distinct = Number(counts[0]?.distinctRows ?? 0);
    const rate = published / (durationMs / 1000);
    say(
      `  published ${published} readings (${rate.toFixed(0)}/s); publish-to-receive p50 ${percentile(receiveMs, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(receiveMs, 99).toFixed(0)} ms (all readings, received_at − ts); publish-to-commit ` +
        `p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${Math.max(...latencies)} ms ` +
        `(${latencies.length} samples: 1 sensor in 20, polled every 100 ms); backlog drained ${drainS.toFixed(1)} s after publishing ended`,
    );
    say(`steady readings/s: ${rate.toFixed(0)}`);
    say(`publish-to-commit p99 ms: ${percentile(latencies, 99)}`);
    say(`publish-to-alarm ms: ${alarm}`);
    say(`lost: ${published - distinct}`);
    say(`duplicated: ${total - distinct}`);
    say(`ingest peak RSS MB: ${Math.round(peak)}`);
  } finally {
    await env.cleanup();
  }
}

/**
 * Publishes 11 hours of +9.5 °C readings ending now for the probe sensor (a HEAT excursion of
 * more than 10 h) and waits up to 30 s for an alarm row. "skipped" when none appears (ingest
 * is behind or does not evaluate alarms) or the alarms table is missing.
 */
async function measureAlarm(broker: TestBroker, pool: ReturnType<typeof createDatabase>["pool"], sensorId: number) {
  const deviceId = benchDeviceId(sensorCount);
  const now = Date.now();
  const readings = Array.from({ length: 133 }, (_, i) => ({ ts: now - (132 - i) * INTERVAL_MS, tempC: 9.5 }));
  const client = await connectAsync(broker.url, {
    clientId: "bench-alarm-probe",
    username: "svc-bench-pub",
    password: PASSWORDS.publisher,
    reconnectPeriod: 0,
  });
  const sentAt = Date.now();
  await client.publishAsync(`coldchain/v1/sensors/${deviceId}/readings`, JSON.stringify({ readings }), { qos: 1 });
  await client.endAsync();
  const deadline = sentAt + 30_000;
  while (Date.now() < deadline) {
    try {
      const [rows] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM alarms WHERE sensor_id = ?", [
        sensorId,
      ]);
      if (Number(rows[0]?.n) > 0) return String(Date.now() - sentAt);
    } catch {
      return "skipped (no alarms table)";
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return "skipped (no alarm row within 30 s: ingest is behind, or raises no alarms)";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function countReadings(pool: ReturnType<typeof createDatabase>["pool"], before?: number): Promise<number> {
  const [rows] =
    before === undefined
      ? await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM readings")
      : await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM readings WHERE ts < ?", [new Date(before)]);
  return Number(rows[0]?.n ?? 0);
}

async function runOutageMode() {
  const outageMs = Number(flags.outage) * 1000;
  const settleMs = Number(flags.settle) * 1000;
  if (!(outageMs > 0) || !(settleMs >= 0)) throw new Error("--outage needs a number of seconds above 0");
  const nominalRate = sensorCount / 60;
  const sessions = connections * Number(flags.replicas);
  say(
    `outage: ${sensorCount} sensors, one reading a minute each (${nominalRate.toFixed(0)}/s); after ${settleMs / 1000} s ` +
      `the database is cut for ingest for ${outageMs / 1000} s; ${sessions} ingest sessions`,
  );
  const env = await prepare("outage", sensorCount);
  // Ingest reaches the database through a proxy the benchmark can cut; the benchmark itself does not.
  const server = new URL(env.url);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 3306) });
  cleanups.push(() => proxy.close());
  const proxied = new URL(env.url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  try {
    const consumer = await startIngest(env.broker, proxied.toString());
    const rss = startRssSampler(consumer.pids);
    const brokerPid = Number(readFileSync(env.broker.pidFile, "utf8").trim());
    const brokerRss = startRssSampler(brokerPid > 0 ? [brokerPid] : []);
    const indexes = Array.from({ length: sensorCount }, (_, i) => i);
    const pubs = await startPublishers(indexes, (slice) => ({
      kind: "steady",
      url: env.broker.url,
      username: "svc-bench-pub",
      password: PASSWORDS.publisher,
      connections: 2,
      indexes: slice,
      // Until told to stop: the soak publishes on after the outage until ingest has caught up.
      durationMs: 24 * 3_600_000,
      periodMs: 60_000,
      record: true,
    }));
    const started = Date.now();
    let phase = "settle";
    const status = async () => {
      const [stored, held, connected, failures, stale] = await Promise.all(
        [
          "rantai_ingest_readings_stored_total",
          "rantai_ingest_buffer_messages",
          "rantai_ingest_connected_connections",
          "rantai_ingest_flush_failures_total",
          "rantai_ingest_stale_acks_total",
        ].map((name) => consumer.metric(name).catch(() => Number.NaN)),
      );
      say(
        `  +${Math.round((Date.now() - started) / 1000)} s ${phase}: ingest RSS ${Math.round(rss.currentMb)} MB, ` +
          `broker RSS ${Math.round(brokerRss.currentMb)} MB, published ${pubs.published()}, stored ${stored}, ` +
          `held ${held}, connected ${connected}/${sessions}, flush failures ${failures}, stale acks ${stale}`,
      );
    };
    const ticker = setInterval(() => void status().catch(() => undefined), 30_000);
    const publishing = pubs.go();

    await sleep(settleMs);
    const rssBefore = rss.currentMb;
    phase = "outage";
    rss.setPhase("outage");
    proxy.cut();
    say(`  database cut for ingest at +${Math.round((Date.now() - started) / 1000)} s`);
    await sleep(outageMs);
    phase = "drain";
    rss.setPhase("after");
    const storedAtCut = await countReadings(env.handle.pool);
    proxy.restore();
    const restoreAt = Date.now();
    say(`  database back at +${Math.round((restoreAt - started) / 1000)} s`);

    // Every 500 ms: how many readings with a device time before the return are stored (from the
    // database, not through the proxy). The target is known exactly only once the publishers
    // report what the broker acknowledged; the first sample reaching it is the drain time.
    // Publishing goes on until that count has stopped moving for 15 s after ingest resumed
    // storing (with readings lost in the broker, ingest never catches up with the publishers).
    const samples: { at: number; stored: number }[] = [];
    const giveUpAt = restoreAt + Math.max(600_000, 3 * outageMs);
    let lastChangeAt = restoreAt;
    let settled = false;
    while (!settled && Date.now() < giveUpAt) {
      const stored = await countReadings(env.handle.pool, restoreAt);
      const now = Date.now();
      if (stored !== samples.at(-1)?.stored) lastChangeAt = now;
      samples.push({ at: now, stored });
      settled = stored > storedAtCut && now - lastChangeAt > 15_000;
      if (!settled) await sleep(500);
    }
    if (!settled) say(`  the backlog had not settled ${Math.round((giveUpAt - restoreAt) / 1000)} s after the return`);
    pubs.stop();
    const reports = await publishing;
    const publishEnd = Math.max(...reports.map((report) => report.lastAckAt));
    const acked = reports.map((report) => report.acked ?? []);
    const unacked = reports.map((report) => report.unacked ?? []);
    const published = reports.reduce((sum, report) => sum + report.published, 0);
    const failed = reports.reduce((sum, report) => sum + report.failed, 0);
    const bytes = reports.reduce((sum, report) => sum + (report.bytes ?? 0), 0);
    // The last readings published: wait until they are stored, or nothing moved for 60 s.
    let last = -1;
    let since = Date.now();
    for (;;) {
      const stored = await countReadings(env.handle.pool);
      if (stored >= published || (stored === last && Date.now() - since > 60_000)) break;
      if (stored !== last) {
        last = stored;
        since = Date.now();
      }
      await sleep(500);
    }
    clearInterval(ticker);
    await status();
    rss.stop();
    brokerRss.stop();
    const lifetimePeak = peakOf(consumer);
    await consumer.stop();

    const [rows] = await env.handle.pool.query<RowDataPacket[]>(
      `SELECT s.device_id AS deviceId, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', r.ts) DIV 1000 AS ts
         FROM readings r JOIN sensors s ON s.id = r.sensor_id`,
    );
    const indexOf = (deviceId: string) => (deviceId.startsWith("BENCH-") ? Number(deviceId.slice(6)) : -1);
    const check = compareStored({
      acked,
      unacked,
      stored: rows.map((row) => ({ index: indexOf(String(row.deviceId)), ts: Number(row.ts) })),
    });
    const [rollups] = await env.handle.pool.query<RowDataPacket[]>(
      "SELECT COALESCE(SUM(count), 0) AS n FROM reading_rollups_hourly",
    );
    const rolledUp = Number(rollups[0]?.n ?? 0);
    const target = countPublishedBefore(acked, restoreAt);
    const drainedAt = firstReaching(samples, target);
    const firstAt = Math.min(...reports.map((report) => report.firstAt));
    const achievedRate = published / Math.max(1, (publishEnd - firstAt) / 1000);
    const messageBytes = published > 0 ? bytes / published : 0;
    // The limits of the config the broker runs (the template, unless --broker-queue changed it).
    const limits = readBrokerQueueLimits(join(env.broker.dataDir, "rantai.conf"));
    const survivable = survivableOutageSeconds({ limits, sessions, messageBytes, messagesPerSecond: nominalRate });

    say(
      `  published ${published} readings (${achievedRate.toFixed(0)}/s achieved of ${nominalRate.toFixed(0)}/s national, ` +
        `${failed} without PUBACK); ${target} before the database returned; stored ${rows.length}, ` +
        `${check.unexpected} never published; hourly rollups count ${rolledUp} readings`,
    );
    say(
      `  ingest RSS peaks: ${Math.round(rss.peaks.outage)} MB while cut, ${Math.round(rss.peaks.after)} MB while draining ` +
        `(VmHWM ${Math.round(lifetimePeak)} MB); broker peak RSS ${Math.round(Math.max(...Object.values(brokerRss.peaks)))} MB`,
    );
    say(
      `  broker queues: ${sessions} sessions × min(${limits.messages} messages, ${limits.bytes} B ÷ ${messageBytes.toFixed(0)} B) ` +
        `at ${nominalRate.toFixed(0)} msg/s${survivable < outageMs / 1000 ? ": SHORTER than this outage, messages beyond it are dropped" : ""}`,
    );
    if (rolledUp !== rows.length) say(`  rollups disagree with the readings by ${rolledUp - rows.length}`);
    say(`RSS before outage MB: ${Math.round(rssBefore)}`);
    say(`outage peak RSS MB: ${Math.round(Math.max(rss.peaks.outage, rss.peaks.after))}`);
    say(`survivable outage s: ${survivable}`);
    say(`backlog drained s: ${drainedAt === null ? "never" : ((drainedAt - restoreAt) / 1000).toFixed(1)}`);
    say(`lost: ${check.lost}`);
    say(`duplicated: ${check.duplicated}`);
  } finally {
    await proxy.close();
    await env.cleanup();
  }
}

try {
  await buildIngest();
  if (mode === "storm") await runStormMode();
  else if (mode === "steady") await runSteadyMode();
  else await runOutageMode();
  process.exit(0);
} catch (error) {
  console.error(error);
  for (const child of children) child.kill("SIGKILL");
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  process.exit(1);
}
