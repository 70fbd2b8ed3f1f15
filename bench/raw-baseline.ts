import { connectAsync, type MqttClient } from "mqtt";
import mysql from "mysql2/promise";

/*
 * The raw baseline for `bench/ingest.ts`: a bare mqtt.js subscriber on a shared subscription
 * (as many connections as ingest) that acknowledges each message on receipt (mqtt.js's default)
 * and writes readings with batched multi-row INSERTs through mysql2. No validation beyond
 * JSON.parse, no sensor state, no dead letters, no transaction per batch of messages, no
 * PUBACK-after-commit: an upper bound for throughput that would lose data on a crash.
 *
 * Configured over IPC; reports `{stored}` after every INSERT and `{ready}` once subscribed.
 */
/** Sent by bench/ingest.ts over IPC (no environment, no credentials on the command line). */
export interface RawBaselineConfig {
  kind: "config";
  databaseUrl: string;
  mqttUrl: string;
  username: string;
  password: string;
  connections: number;
  batchRows: number;
  concurrency: number;
}

const env = await new Promise<RawBaselineConfig>((resolve) => {
  process.once("message", (message: RawBaselineConfig) => resolve(message));
});

type Row = [number, Date, number, number | null, number | null, Date];

const pool = mysql.createPool({ uri: env.databaseUrl, connectionLimit: env.concurrency, timezone: "Z" });
const [sensorRows] = await pool.query<mysql.RowDataPacket[]>("SELECT id, device_id FROM sensors");
const sensorIds = new Map(sensorRows.map((row) => [String(row.device_id), Number(row.id)]));

const buffer: Row[] = [];
let inFlight = 0;
let stored = 0;
let timer: NodeJS.Timeout | null = null;

function onMessage(topic: string, payload: Buffer) {
  const deviceId = topic.split("/")[3] ?? "";
  const sensorId = sensorIds.get(deviceId);
  if (sensorId === undefined) return;
  const receivedAt = new Date();
  const body: unknown = JSON.parse(payload.toString("utf8"));
  const list =
    typeof body === "object" && body !== null && "readings" in body && Array.isArray(body.readings)
      ? (body.readings as unknown[])
      : [body];
  for (const item of list) {
    const reading = item as { ts: number; tempC: number; batteryPct?: number; seq?: number };
    buffer.push([
      sensorId,
      new Date(reading.ts),
      Math.round(reading.tempC * 100),
      reading.batteryPct ?? null,
      reading.seq ?? null,
      receivedAt,
    ]);
  }
  pump();
}

function pump() {
  while (inFlight < env.concurrency && buffer.length >= env.batchRows) insert(buffer.splice(0, env.batchRows));
  if (buffer.length > 0 && !timer) {
    timer = setTimeout(() => {
      timer = null;
      if (inFlight < env.concurrency && buffer.length > 0) insert(buffer.splice(0, env.batchRows));
      pump();
    }, 50);
  }
}

function insert(rows: Row[]) {
  rows.sort((a, b) => a[0] - b[0] || a[1].getTime() - b[1].getTime());
  inFlight += 1;
  pool
    .query(
      "INSERT INTO readings (sensor_id, ts, temp_centi_c, battery_pct, seq, received_at) VALUES ? ON DUPLICATE KEY UPDATE sensor_id = sensor_id",
      [rows],
    )
    .then(() => {
      stored += rows.length;
      process.send?.({ kind: "stored", stored });
    })
    .catch((error: unknown) => {
      console.error("raw insert failed", error);
      process.exit(1);
    })
    .finally(() => {
      inFlight -= 1;
      pump();
    });
}

const clients: MqttClient[] = await Promise.all(
  Array.from({ length: env.connections }, (_, i) =>
    connectAsync(env.mqttUrl, {
      clientId: `bench-raw-${i}`,
      protocolVersion: 5,
      clean: true,
      username: env.username,
      password: env.password,
      reconnectPeriod: 1000,
    }),
  ),
);
for (const client of clients) {
  client.on("message", onMessage);
  await client.subscribeAsync("$share/raw/coldchain/v1/sensors/+/readings", { qos: 1 });
}
process.send?.({ kind: "ready" });
process.on("SIGTERM", () => {
  void Promise.all(clients.map((client) => client.endAsync(true)))
    .then(() => pool.end())
    .finally(() => process.exit(0));
});
