import { connectAsync, type MqttClient } from "mqtt";
import { benchDeviceId, dayPayload, type PublisherCommand, type PublisherReport } from "./common";

/*
 * A benchmark publisher process (several run side by side so publishing is not the bottleneck).
 * Told what to publish over IPC; builds every payload first, says "ready", then on "go"
 * publishes with QoS 1 over its connections, keeping a window of unacknowledged messages each.
 */
const send = (report: PublisherReport) => process.send?.(report);
/** Resolves once the report is handed to the channel: a large one must not be cut by exit. */
const sendAndWait = (report: PublisherReport) =>
  new Promise<void>((resolve) => (process.send ? process.send(report, () => resolve()) : resolve()));
let command: PublisherCommand | null = null;
let go: () => void = () => {};
const started = new Promise<void>((resolve) => {
  go = resolve;
});
let stopRequested = false;

process.on("message", (message: PublisherCommand) => {
  if (message.kind === "go") go();
  else if (message.kind === "stop") stopRequested = true;
  else {
    command = message;
    void run(message).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
});

async function connectAll(url: string, username: string, password: string, n: number): Promise<MqttClient[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      connectAsync(url, {
        clientId: `bench-pub-${process.pid}-${i}`,
        protocolVersion: 4,
        clean: true,
        username,
        password,
        reconnectPeriod: 1000,
        keepalive: 60,
      }),
    ),
  );
}

async function run(task: Extract<PublisherCommand, { kind: "storm" | "steady" }>) {
  const clients = await connectAll(task.url, task.username, task.password, task.connections);
  if (task.kind === "storm") await storm(task, clients);
  else await steady(task, clients);
  await Promise.all(clients.map((client) => client.endAsync()));
  process.exit(0);
}

async function storm(task: Extract<PublisherCommand, { kind: "storm" }>, clients: MqttClient[]) {
  const messages = task.indexes.map((index) => ({
    topic: `coldchain/v1/sensors/${benchDeviceId(index)}/readings`,
    payload: dayPayload(index, task.dayStart),
  }));
  send({ kind: "ready", messages: messages.length, bytes: messages.reduce((sum, m) => sum + m.payload.length, 0) });
  await started;
  const firstAt = Date.now();
  let published = 0;
  let failed = 0;
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      const inFlight = new Set<Promise<void>>();
      while (next < messages.length) {
        const message = messages[next];
        next += 1;
        if (!message) break;
        const sent: Promise<void> = client
          .publishAsync(message.topic, message.payload, { qos: 1 })
          .then(
            () => {
              published += 1;
            },
            () => {
              failed += 1;
            },
          )
          .finally(() => inFlight.delete(sent));
        inFlight.add(sent);
        if (inFlight.size >= task.window) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    }),
  );
  send({ kind: "done", published, failed, firstAt, lastAckAt: Date.now() });
}

/** Each sensor publishes one reading (ts = now) every period, sensors spread evenly over it. */
async function steady(task: Extract<PublisherCommand, { kind: "steady" }>, clients: MqttClient[]) {
  const schedule = task.indexes.map((index, i) => ({
    index,
    topic: `coldchain/v1/sensors/${benchDeviceId(index)}/readings`,
    offset: (i / task.indexes.length) * task.periodMs,
    seq: 0,
  }));
  send({ kind: "ready", messages: schedule.length, bytes: 0 });
  await started;
  const firstAt = Date.now();
  const end = firstAt + task.durationMs;
  let published = 0;
  let failed = 0;
  let bytes = 0;
  let cursor = 0;
  let round = 0;
  const acked: number[] = [];
  const unacked: number[] = [];
  const pending = new Set<Promise<void>>();
  while (Date.now() < end && !stopRequested) {
    const now = Date.now();
    while (cursor < schedule.length) {
      const entry = schedule[cursor];
      if (!entry || firstAt + round * task.periodMs + entry.offset > now) break;
      cursor += 1;
      entry.seq += 1;
      const ts = Date.now();
      const tempC = Math.round((4.5 + Math.sin(ts / 600_000 + entry.index)) * 100) / 100;
      const client = clients[entry.index % clients.length];
      if (!client) continue;
      const payload = `{"ts":${ts},"tempC":${tempC},"batteryPct":90,"seq":${entry.seq}}`;
      const index = entry.index;
      const sent: Promise<void> = client
        .publishAsync(entry.topic, payload, { qos: 1 })
        .then(
          () => {
            published += 1;
            bytes += payload.length;
            if (task.record) acked.push(index, ts);
          },
          () => {
            failed += 1;
            if (task.record) unacked.push(index, ts);
          },
        )
        .finally(() => pending.delete(sent));
      pending.add(sent);
    }
    if (cursor >= schedule.length) {
      cursor = 0;
      round += 1;
    }
    send({ kind: "progress", published });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  await sendAndWait({ kind: "done", published, failed, firstAt, lastAckAt: Date.now(), bytes, acked, unacked });
}

setTimeout(() => {
  if (!command) {
    console.error("publisher: no command within 60 s");
    process.exit(1);
  }
}, 60_000).unref();
