import { readingsTopic, statusTopic } from "@rantai/core/coldchain/sensor-protocol";
import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import { connect, type MqttClient } from "mqtt";
import { createRandom, type DeviceState, initialState, seedOf, step } from "./model";

export interface FleetOptions {
  url: string;
  deviceIds: readonly string[];
  intervalSeconds: number;
  /** Per-device password (username = deviceId); absent → anonymous. */
  secretOf?: ((deviceId: string) => string) | undefined;
  logger: Logger;
}

const ONLINE = JSON.stringify({ online: true });
const OFFLINE = JSON.stringify({ online: false });

/**
 * One MQTT connection per simulated device, as real loggers have: each gets its own last
 * will (retained {"online": false} on its status topic, sent by the broker if the connection
 * dies) and its own credentials (username = deviceId) and ACL (%u = deviceId).
 */
export function startFleet(options: FleetOptions) {
  const { logger, intervalSeconds } = options;
  const clients: MqttClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  let published = 0;
  let failed = 0;

  function startDevice(deviceId: string) {
    const random = createRandom(seedOf(deviceId));
    let state: DeviceState = initialState(random);
    const secret = options.secretOf?.(deviceId);
    const client = connect(options.url, {
      clientId: `sim-${deviceId}`,
      clean: true,
      protocolVersion: 4,
      keepalive: 60,
      reconnectPeriod: 2000,
      ...(secret ? { username: deviceId, password: secret } : {}),
      will: { topic: statusTopic(deviceId), payload: Buffer.from(OFFLINE), qos: 1, retain: true },
    });
    clients.push(client);
    // Ingest applies a status only to a sensor that has a reading stored, so a device's very
    // first "online" goes out shortly after its first reading; later reconnects announce at once.
    let announced = false;
    const announce = () => {
      announced = true;
      client.publish(statusTopic(deviceId), ONLINE, { qos: 1, retain: true });
    };
    client.on("connect", () => {
      if (announced) announce();
    });
    // A refused CONNECT (e.g. a device missing from the broker's password file) repeats every
    // reconnect period: log each distinct error of a device once.
    let lastError = "";
    client.on("error", (error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      logger.warn({ deviceId, ...errorFields(error) }, "device_mqtt_error");
    });
    client.on("connect", () => {
      lastError = "";
    });

    const tick = () => {
      const now = new Date();
      const next = step(state, now, intervalSeconds, random);
      state = next.state;
      const payload = JSON.stringify({ ts: now.toISOString(), ...next.reading });
      // QoS 1: while disconnected mqtt.js keeps it and sends it on reconnect, like a device buffer.
      client.publish(readingsTopic(deviceId), payload, { qos: 1 }, (error) => {
        if (error) failed += 1;
        else published += 1;
        if (!error && !announced) timers.push(setTimeout(announce, 1000));
      });
    };
    // Spread devices over the interval instead of publishing in lock-step.
    const first = setTimeout(
      () => {
        tick();
        timers.push(setInterval(tick, intervalSeconds * 1000));
      },
      random() * intervalSeconds * 1000,
    );
    timers.push(first);
  }

  const ramp = (async () => {
    for (let i = 0; i < options.deviceIds.length; i += 50) {
      for (const deviceId of options.deviceIds.slice(i, i + 50)) startDevice(deviceId);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();

  return {
    stats: () => ({
      devices: options.deviceIds.length,
      connected: clients.filter((client) => client.connected).length,
      published,
      failed,
    }),
    /** Says goodbye properly: retained {"online": false} (a clean disconnect sends no will), then disconnects. */
    async stop() {
      await ramp;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(
        clients.map(async (client, i) => {
          const deviceId = options.deviceIds[i];
          try {
            if (deviceId && client.connected) {
              await client.publishAsync(statusTopic(deviceId), OFFLINE, { qos: 1, retain: true });
            }
            await client.endAsync();
          } catch (error) {
            logger.warn({ deviceId, ...errorFields(error) }, "device_stop_failed");
            await client.endAsync(true).catch(() => undefined);
          }
        }),
      );
    },
  };
}
