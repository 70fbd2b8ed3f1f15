import { connectAsync, type MqttClient } from "mqtt";

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
