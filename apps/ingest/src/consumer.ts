import { READINGS_TOPIC_FILTER, STATUS_TOPIC_FILTER } from "@rantai/core/coldchain/sensor-protocol";
import { errorFields, type Logger } from "@rantai/core/kernel/logger";
import { connect, type IClientOptions, type IConnackPacket, type MqttClient } from "mqtt";

/** Shared subscriptions: the broker spreads messages over all ingest connections of all replicas. */
export const SHARE_GROUP = "ingest";
export const SUBSCRIPTIONS = [
  `$share/${SHARE_GROUP}/${READINGS_TOPIC_FILTER}`,
  `$share/${SHARE_GROUP}/${STATUS_TOPIC_FILTER}`,
];

/** How long the broker keeps a session (subscriptions + queued messages) while we are away: 7 days. */
const SESSION_EXPIRY_SECONDS = 7 * 24 * 60 * 60;
/**
 * Unacked QoS 1 messages the broker may push to one connection (MQTT 5 Receive Maximum). We
 * process one at a time; a few more in the socket keep the pipe full without hoarding memory
 * (64 connections × 4 × a 256 KiB packet at most).
 */
const RECEIVE_MAXIMUM = 4;
/** How long a graceful close waits for the broker to close the connection after DISCONNECT. */
const GRACEFUL_CLOSE_MS = 1000;

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  /**
   * MQTT DUP flag: the broker sent this message before (to this session) without getting its
   * PUBACK, e.g. ingest crashed while holding it. Such a message is a poison suspect (poison.ts).
   */
  dup: boolean;
  /** MQTT 5 response topic and correlation data, as sent (checked by confirmation.ts). */
  responseTopic: string | undefined;
  correlationData: Buffer | undefined;
  /**
   * Sends the PUBACK and lets this connection read its next message. Call after commit. With a
   * `reply`, publishes it first (QoS 0) on this connection, so it reaches the broker before the
   * PUBACK; neither is sent if the connection that received the message is gone (the broker
   * redelivers it, and its next settle confirms it). Returns whether they were sent.
   */
  ack(reply?: Reply): boolean;
}

/** A storage confirmation to publish (confirmation.ts). */
export interface Reply {
  topic: string;
  payload: Buffer;
  correlationData: Buffer | undefined;
}

export interface ConsumerOptions {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  clientId: string;
  logger: Logger;
  onMessage(message: ReceivedMessage): void;
  onConnectionChange(): void;
  onStaleAck(): void;
}

export interface Consumer {
  readonly clientId: string;
  readonly connected: boolean;
  /** Connected and subscribed at least once. */
  readonly ready: Promise<void>;
  /** Last time this connection was connected (now, if it is): /health tolerates short gaps. */
  readonly lastConnectedAt: number | null;
  /** Stop handing messages over; a message arriving now is never acked (the broker redelivers it). */
  stopConsuming(): void;
  close(force: boolean): Promise<void>;
}

/**
 * One persistent MQTT session (clean start off, fixed client id, MQTT 5 session expiry).
 *
 * Lossless delivery: mqtt.js calls `handleMessage(packet, callback)` for every PUBLISH and sends
 * the PUBACK — and reads the next packet — only when `callback` runs. We call it after the
 * message's rows are committed, never from the 'message' event, which has no backpressure.
 * See https://github.com/mqttjs/MQTT.js#handleMessage and discussion #1810.
 *
 * While a message is held, this connection processes no other packets, PINGRESP included: a
 * flush blocked longer than ~1.5 × keepalive (a database outage) makes mqtt.js reconnect. The
 * broker then redelivers the unacked message, and the old ack is dropped (a PUBACK belongs
 * to the connection that received the message; sending it on the new one could ack a
 * different message that reused the packet id). The redelivery is stored as a duplicate.
 */
export function startConsumer(options: ConsumerOptions): Consumer {
  const { logger, clientId } = options;
  let epoch = 0;
  let consuming = true;
  let lastConnectedAt: number | null = null;
  let lastError = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const clientOptions: IClientOptions = {
    clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS, receiveMaximum: RECEIVE_MAXIMUM },
    username: options.username,
    password: options.password,
    keepalive: 60,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    // We subscribe ourselves on every connect (see the "connect" handler).
    resubscribe: false,
  };
  const client: MqttClient = connect(options.url, clientOptions);

  client.handleMessage = (packet, callback) => {
    if (!consuming) return; // never acked: redelivered to this session after restart
    const acceptedIn = epoch;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    options.onMessage({
      topic: packet.topic,
      payload,
      receivedAt: new Date(),
      dup: packet.dup === true,
      responseTopic: packet.properties?.responseTopic,
      correlationData: packet.properties?.correlationData,
      ack: (reply) => {
        if (acceptedIn !== epoch || !client.connected) {
          options.onStaleAck();
          return false;
        }
        // QoS 0: this connection reads nothing (a PUBACK for a QoS 1 reply included) until
        // callback() runs, and a lost confirmation only makes the device resend, which is
        // stored as a duplicate and confirmed then. Written before the PUBACK below.
        if (reply)
          client.publish(reply.topic, reply.payload, {
            qos: 0,
            properties: reply.correlationData ? { correlationData: reply.correlationData } : {},
          });
        callback();
        return true;
      },
    });
  };

  client.on("connect", (connack: IConnackPacket) => {
    lastConnectedAt = Date.now();
    lastError = "";
    logger.info({ clientId, sessionPresent: connack.sessionPresent }, "mqtt_connected");
    options.onConnectionChange();
    // Subscribe on every connect, even when the broker kept our session: Mosquitto before 2.0.12
    // restores a durable session after a broker restart without its $share subscriptions, so
    // the session would resume and be sent nothing. Subscribing again to the same filters is
    // harmless where the subscription did survive (it replaces itself; queued messages stay).
    subscribe();
  });

  function subscribe() {
    client.subscribe(SUBSCRIPTIONS, { qos: 1 }, (error, granted) => {
      const refused = granted?.filter((grant) => grant.qos > 2) ?? [];
      if (error || refused.length > 0) {
        logger.error(
          {
            clientId,
            refused: refused.map((grant) => grant.topic),
            ...(error ? errorFields(error) : {}),
          },
          "mqtt_subscribe_failed",
        );
        setTimeout(() => client.connected && subscribe(), 5000).unref();
        return;
      }
      logger.info({ clientId, topics: SUBSCRIPTIONS }, "mqtt_subscribed");
      markReady();
    });
  }

  client.on("close", () => {
    epoch += 1;
    if (lastConnectedAt !== null) lastConnectedAt = Date.now();
    options.onConnectionChange();
  });
  client.on("offline", () => logger.warn({ clientId }, "mqtt_offline"));
  client.on("error", (error) => {
    // Connection refused repeats every reconnect period: log each distinct error once.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.error({ clientId, ...errorFields(error) }, "mqtt_error");
  });

  return {
    clientId,
    get connected() {
      return client.connected;
    },
    ready,
    get lastConnectedAt() {
      return client.connected ? Date.now() : lastConnectedAt;
    },
    stopConsuming() {
      consuming = false;
    },
    async close(force) {
      consuming = false;
      const ended = client.endAsync(force);
      if (!force) {
        // A message that arrived after stopConsuming() is never acked (the broker redelivers
        // it), so this connection's reading side stays paused on it: the DISCONNECT goes out,
        // but the socket may never finish closing by itself. Give it a moment, then cut it.
        const timer = setTimeout(() => client.stream.destroy(), GRACEFUL_CLOSE_MS);
        try {
          await ended;
        } finally {
          clearTimeout(timer);
        }
      } else {
        await ended;
      }
      options.onConnectionChange();
    },
  };
}
