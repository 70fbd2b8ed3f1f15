import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createLogger } from "@rantai/core/kernel/logger";
import { connectAsync, type MqttClient } from "mqtt";
import { CONFIRMATION_CHANNEL, type TConfirmation, ZConfirmationSchema } from "../confirmation";
import type { IngestConfig } from "../ingest";

/**
 * An in-process ingest's config for tests: small pool and batches, short waits, a free HTTP port,
 * a silent logger; the test names the database, broker and client id and overrides the rest.
 */
export function testIngestConfig(
  required: Pick<IngestConfig, "databaseUrl" | "mqttUrl" | "clientId">,
  overrides: Partial<IngestConfig> = {},
): IngestConfig {
  return {
    databasePoolSize: 3,
    connections: 2,
    httpHost: "127.0.0.1",
    httpPort: 0,
    batchMaxRows: 1000,
    batchMaxWaitMs: 20,
    flushLanes: 2,
    shutdownTimeoutMs: 5000,
    logger: createLogger({ service: "ingest", base: { test: required.clientId }, level: "silent" }),
    ...required,
    ...overrides,
  };
}

/** Polls until `check` returns true (or throws with `what` after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A device-like publisher: MQTT 5, clean session, QoS 1 publishes resolve on PUBACK. */
export async function connectPublisher(url: string, clientId = `pub-${Math.random().toString(16).slice(2, 10)}`) {
  const client: MqttClient = await connectAsync(url, {
    clientId,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 500,
  });
  return {
    client,
    publish: (topic: string, payload: string | Buffer, retain = false) =>
      client.publishAsync(topic, payload, { qos: 1, retain }),
    close: () => client.endAsync(),
  };
}

/** MQTT 5 PUBACK reason 0x10: accepted, but nobody subscribes (sensor protocol: keep and resend). */
export const NO_MATCHING_SUBSCRIBERS = 0x10;

export interface ConfirmedModeOptions {
  /** Re-publish a message this long after its last send without a confirmation (default 5 s). */
  resendAfterMs?: number;
}

/**
 * Publishes as the sensor protocol asks devices to: QoS 1, and a PUBACK with reason 0x10 ("no
 * matching subscribers": ingest is not subscribed yet, e.g. just after a broker restart) means
 * the reading was dropped, so it is kept and sent again. `publish` resolves on a plain PUBACK.
 *
 * Confirmed mode (`publishConfirmed`, docs/sensor-protocol.md "Storage confirmation"): the
 * message carries the response topic `…/{deviceId}/stored` and a correlation id, and is kept
 * until ingest's confirmation arrives there — re-published after `resendAfterMs` without one,
 * and at once after every reconnect — since a broker killed with -9 may have lost it after its
 * PUBACK. Resolves with the confirmation.
 */
export function createDevicePublisher(
  client: MqttClient,
  retryMs = 200,
  deadlineMs = 60_000,
  confirmed: ConfirmedModeOptions = {},
) {
  const reasons = new Map<number, number>();
  client.on("packetreceive", (packet) => {
    if (packet.cmd === "puback" && packet.messageId !== undefined)
      reasons.set(packet.messageId, packet.reasonCode ?? 0);
  });
  let resent = 0;

  const resendAfterMs = confirmed.resendAfterMs ?? 5000;
  /** Correlation ids are unique per publisher: a random prefix and a counter. */
  const idPrefix = randomBytes(4).toString("hex");
  let nextId = 0;
  /** Unconfirmed messages: correlation id → resolve. */
  const waiting = new Map<string, (confirmation: TConfirmation) => void>();
  const responseTopics = new Set<string>();
  /** Resolves at the next connect (a reconnect once publishing began). */
  const nextConnect = () => {
    let resolve: () => void = () => {};
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    return { promise, resolve };
  };
  let reconnected = nextConnect();
  client.on("connect", () => {
    const previous = reconnected;
    reconnected = nextConnect();
    previous.resolve();
    // A broker killed with -9 may come back without this session's subscriptions: ask again.
    if (responseTopics.size > 0) client.subscribe([...responseTopics], { qos: 1 });
  });
  client.on("message", (_topic, payload, packet) => {
    const id = packet.properties?.correlationData?.toString();
    const resolve = id === undefined ? undefined : waiting.get(id);
    if (id === undefined || !resolve) return; // not ours, or a second confirmation of a resend
    let body: unknown;
    try {
      body = JSON.parse(payload.toString());
    } catch {
      return;
    }
    const parsed = ZConfirmationSchema.safeParse(body);
    if (!parsed.success) return;
    waiting.delete(id);
    resolve(parsed.data);
  });

  return {
    /** Sends beyond the first: after 0x10, or unconfirmed after a timeout or reconnect. */
    get resent() {
      return resent;
    },
    /** Messages published in confirmed mode and not yet confirmed. */
    get unconfirmed() {
      return waiting.size;
    },
    async publish(topic: string, payload: string): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const sent = await client.publishAsync(topic, payload, { qos: 1 });
        const messageId = sent?.messageId;
        const reason = messageId === undefined ? 0 : (reasons.get(messageId) ?? 0);
        if (messageId !== undefined) reasons.delete(messageId);
        if (reason !== NO_MATCHING_SUBSCRIBERS) return;
        if (Date.now() > deadline) throw new Error(`${topic}: still no subscriber after ${deadlineMs} ms`);
        resent += 1;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
    },
    async publishConfirmed(topic: string, payload: string): Promise<TConfirmation> {
      const responseTopic = topic.replace(/\/[^/]*$/, `/${CONFIRMATION_CHANNEL}`);
      if (!responseTopics.has(responseTopic)) {
        responseTopics.add(responseTopic);
        if (client.connected) await client.subscribeAsync(responseTopic, { qos: 1 });
      }
      const id = `${idPrefix}-${nextId}`;
      nextId += 1;
      const correlationData = Buffer.from(id);
      const confirmation = new Promise<TConfirmation>((resolve) => waiting.set(id, resolve));
      const deadline = Date.now() + deadlineMs;
      let sends = 0;
      for (;;) {
        // While disconnected, wait for the reconnect rather than pile copies in the offline queue.
        if (client.connected) {
          if (sends > 0) resent += 1;
          sends += 1;
          client.publish(topic, payload, { qos: 1, properties: { responseTopic, correlationData } }, () => {});
        }
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          confirmation,
          reconnected.promise.then(() => null),
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), resendAfterMs);
          }),
        ]);
        clearTimeout(timer);
        if (outcome) return outcome;
        if (Date.now() > deadline) {
          waiting.delete(id);
          throw new Error(`${topic}: no storage confirmation after ${deadlineMs} ms (${sends} sends)`);
        }
      }
    },
  };
}

/** The value of one sample in Prometheus text format; 0 when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[3] ?? "").split(",").filter(Boolean);
    if (wanted.every((label) => present.includes(label)) && present.length === wanted.length) return Number(match[4]);
  }
  return 0;
}

const appDir = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts ingest as `node --import tsx src/main.ts` — one process, so SIGKILL really kills it
 * (the tsx CLI would fork) — and waits until it is ready. Its output goes to `output`.
 */
export async function startIngestChild(options: {
  databaseUrl: string;
  brokerUrl: string;
  clientId: string;
  connections: number;
  output: string[];
  /** More INGEST_* settings, e.g. the fault hook. */
  env?: Record<string, string>;
}): Promise<ChildProcess> {
  const { output } = options;
  const started = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDir,
    env: {
      // biome-ignore lint/style/noProcessEnv: the child needs PATH and nothing else from the parent.
      PATH: process.env.PATH,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: "3",
      MQTT_URL: options.brokerUrl,
      INGEST_CLIENT_ID: options.clientId,
      INGEST_CONNECTIONS: String(options.connections),
      INGEST_HTTP_HOST: "127.0.0.1",
      INGEST_HTTP_PORT: "0",
      INGEST_SHUTDOWN_TIMEOUT_MS: "5000",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let readyLogged = false;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (text.includes('"msg":"ingest_ready"')) readyLogged = true;
  };
  started.stdout?.on("data", collect);
  started.stderr?.on("data", collect);
  await waitFor("ingest child ready", () => readyLogged || started.exitCode !== null, 30_000);
  if (started.exitCode !== null) throw new Error(`ingest exited early:\n${output.join("")}`);
  return started;
}
