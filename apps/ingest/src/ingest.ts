import { type Clock, systemClock } from "@rantai/core/coldchain/alarms";
import type { TEarlyWarningConfig } from "@rantai/core/coldchain/early-warning";
import { createLogger, errorFields, type Logger } from "@rantai/core/kernel/logger";
import { createDatabase } from "@rantai/db";
import { sql } from "drizzle-orm";
import { createAlarmMetrics } from "./alarm-metrics";
import { createAlarmNoticePublisher } from "./alarm-notices";
import { Batcher } from "./batcher";
import {
  type ConfirmableMessage,
  checkConfirmationRequest,
  createConfirmationMetrics,
  type PendingConfirmation,
  POISON_CONFIRMATION,
  renderConfirmation,
} from "./confirmation";
import { type Consumer, type ReceivedMessage, startConsumer } from "./consumer";
import type { IngestEnv } from "./env";
import { createFlush } from "./flush";
import { type HttpServer, type Probe, startHttpServer } from "./http";
import { startNoDataCheck } from "./maintenance/no-data-check";
import { deviceIdOf, laneHash, routeMessage, rowsOf } from "./message";
import { POISON_REASON_CODE, startAttemptPruning } from "./message-attempts";
import { createMetrics, type IngestMetrics } from "./metrics";
import { createPoisonGuard, createPoisonMetrics, FAULT_CRASH_EXIT_CODE, type TrackedMessage } from "./poison";
import { createSensorCache } from "./sensor-cache";

export interface IngestConfig {
  databaseUrl: string;
  databasePoolSize: number;
  mqttUrl: string;
  /** Where the live alarm inbox's notices are published (REDIS_URL); none when not given (tests). */
  redisUrl?: string | undefined;
  mqttUsername?: string | undefined;
  mqttPassword?: string | undefined;
  /** Connection i uses `${clientId}-${i}`: stable, so its persistent session survives restarts. */
  clientId: string;
  connections: number;
  httpHost: string;
  /** 0 picks a free port (tests). */
  httpPort: number;
  batchMaxRows: number;
  batchMaxWaitMs: number;
  /** Flushes running at once (INGEST_FLUSH_LANES); the pool gets one connection more than this. */
  flushLanes: number;
  shutdownTimeoutMs: number;
  /** Attempts before a message is quarantined as poison (INGEST_POISON_MAX_ATTEMPTS, default 3). */
  poisonMaxAttempts?: number;
  /** The early warning's settings (INGEST_EARLY_WARNING); the defaults without them. */
  earlyWarning?: TEarlyWarningConfig;
  /**
   * Fault hook (INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING), tests and drills only: the process
   * exits at once when it processes a payload containing this text. Never set it in-process.
   */
  faultCrashOnPayloadContaining?: string | undefined;
  /** How often this replica runs the NO_DATA check (INGEST_NO_DATA_CHECK_SECONDS; 0 turns it off, e.g. in tests). */
  noDataCheckIntervalMs?: number;
  /** Server time for alarm evaluation and the NO_DATA check (tests move it); defaults to the system clock. */
  clock?: Clock;
  logger?: Logger;
}

export interface IngestHandle {
  /** The HTTP port actually listened on. */
  port: number;
  /** Resolves once every connection is connected and subscribed (or resumed its session). */
  ready: Promise<void>;
  /** Stops consuming, commits and acks what is held, disconnects. Idempotent. */
  stop(): Promise<{ graceful: boolean }>;
  metrics: IngestMetrics;
}

export function configFromEnv(env: IngestEnv): IngestConfig {
  return {
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    mqttUrl: env.MQTT_URL,
    redisUrl: env.REDIS_URL,
    mqttUsername: env.MQTT_USERNAME,
    mqttPassword: env.MQTT_PASSWORD,
    clientId: env.INGEST_CLIENT_ID,
    connections: env.INGEST_CONNECTIONS,
    httpHost: env.INGEST_HTTP_HOST,
    httpPort: env.INGEST_HTTP_PORT,
    batchMaxRows: env.INGEST_BATCH_MAX_ROWS,
    batchMaxWaitMs: env.INGEST_BATCH_MAX_WAIT_MS,
    flushLanes: env.INGEST_FLUSH_LANES,
    shutdownTimeoutMs: env.INGEST_SHUTDOWN_TIMEOUT_MS,
    noDataCheckIntervalMs: env.INGEST_NO_DATA_CHECK_SECONDS * 1000,
    poisonMaxAttempts: env.INGEST_POISON_MAX_ATTEMPTS,
    earlyWarning: env.INGEST_EARLY_WARNING,
    faultCrashOnPayloadContaining: env.INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING,
  };
}

/**
 * mysql2 sets CLIENT_FOUND_ROWS by default, which makes a no-op duplicate count as an affected
 * row; without it affectedRows is exactly the new rows (see countInserted in readings-store).
 */
export function withoutFoundRows(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const flags = url.searchParams.get("flags");
  url.searchParams.set("flags", flags ? `${flags},-FOUND_ROWS` : "-FOUND_ROWS");
  return url.toString();
}

const HEARTBEAT_MS = 1000;
/** A connection may be away this long before /health fails (mqtt.js keeps reconnecting meanwhile). */
const DISCONNECTED_GRACE_MS = 120_000;
/** Held messages with no flush attempt for this long mean a hung database call. */
const STUCK_FLUSH_MS = 60_000;
/** The NO_DATA check runs this often on every replica unless configured otherwise. */
const NO_DATA_CHECK_MS = 60_000;

export async function startIngest(config: IngestConfig): Promise<IngestHandle> {
  const logger = config.logger ?? createLogger({ service: "ingest", base: { replica: config.clientId } });
  const clock = config.clock ?? systemClock;
  const metrics = createMetrics();
  const alarmMetrics = createAlarmMetrics(metrics.registry);
  // Every lane needs its own connection, and the NO_DATA check and /ready one more.
  const database = createDatabase({
    url: withoutFoundRows(config.databaseUrl),
    poolSize: Math.max(config.databasePoolSize, config.flushLanes + 1),
  });
  const startedAt = Date.now();
  let lastBeat = Date.now();
  const heartbeat = setInterval(() => {
    lastBeat = Date.now();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const faultMarker = config.faultCrashOnPayloadContaining ? Buffer.from(config.faultCrashOnPayloadContaining) : null;
  /** The fault hook: dies like a crash (no flush, no ack), so the broker redelivers what was held. */
  const crashIfFaulty = (payload: Buffer) => {
    if (faultMarker === null || !payload.includes(faultMarker)) return;
    logger.error({ exitCode: FAULT_CRASH_EXIT_CODE }, "fault_hook_crash");
    process.exit(FAULT_CRASH_EXIT_CODE);
  };

  const alarmNotices = config.redisUrl
    ? createAlarmNoticePublisher({
        db: database.db,
        redisUrl: config.redisUrl,
        databaseUrl: config.databaseUrl,
        logger,
      })
    : null;
  const flush = createFlush({
    db: database.db,
    sensors: createSensorCache(),
    metrics,
    alarmMetrics,
    maxRows: config.batchMaxRows,
    clock,
    onAlarmNotices: alarmNotices?.publish,
    earlyWarning: config.earlyWarning,
  });
  const poison = createPoisonGuard({
    db: database.db,
    maxAttempts: config.poisonMaxAttempts ?? 3,
    flush,
    logger,
    metrics: createPoisonMetrics(metrics.registry),
    beforeProcessing: (message) => crashIfFaulty(message.payload),
    onQuarantined() {
      // received = stored + duplicate + rejected: the unparsed message counts as one rejection.
      metrics.readingsReceived.inc();
      metrics.readingsRejected.inc({ code: POISON_REASON_CODE });
      metrics.deadLetters.inc();
    },
  });
  const pruning = startAttemptPruning({ db: database.db, logger, clock });

  const consumers: Consumer[] = [];
  const connectedCount = () => consumers.filter((consumer) => consumer.connected).length;
  const confirmationMetrics = createConfirmationMetrics(metrics.registry);
  /**
   * The settle step: after commit (or quarantine), the storage confirmation if the device asked
   * for one, then the PUBACK. Devices without a response topic get the plain ack.
   */
  function settlerOf(message: ReceivedMessage): { settle: () => void; confirmation?: PendingConfirmation } {
    if (message.responseTopic === undefined) return { settle: message.ack };
    const request = checkConfirmationRequest(message.topic, message.responseTopic, message.correlationData);
    if (request === null) return { settle: message.ack };
    if (typeof request === "string") {
      confirmationMetrics.confirmations.inc({ result: request });
      return { settle: message.ack };
    }
    const confirmation: PendingConfirmation = { request, tally: null };
    const settle = () => {
      const sent = message.ack({
        topic: request.topic,
        correlationData: request.correlationData,
        // No tally: quarantined as poison without a flush.
        payload: renderConfirmation(confirmation.tally ?? POISON_CONFIRMATION),
      });
      if (sent) confirmationMetrics.confirmations.inc({ result: "sent" });
    };
    return { settle, confirmation };
  }

  const batcher = new Batcher<TrackedMessage & ConfirmableMessage>({
    maxRows: config.batchMaxRows,
    maxWaitMs: config.batchMaxWaitMs,
    producers: connectedCount,
    lanes: config.flushLanes,
    laneOf: (message) => laneHash(deviceIdOf(message.route)),
    flush: poison.guardFlush(flush),
    onFlushError(error, attempt, retryInMs) {
      metrics.flushFailures.inc();
      logger.error({ attempt, retryInMs, held: batcher.size, ...errorFields(error) }, "flush_failed");
    },
    onBufferChange: (messages) => metrics.bufferMessages.set(messages),
    onSettleError: (error) => logger.error(errorFields(error), "ack_failed"),
  });

  for (let i = 0; i < config.connections; i += 1) {
    consumers.push(
      startConsumer({
        url: config.mqttUrl,
        username: config.mqttUsername,
        password: config.mqttPassword,
        clientId: `${config.clientId}-${i}`,
        logger,
        onMessage(message) {
          const { settle, confirmation } = settlerOf(message);
          if (message.dup) {
            // Sent before, maybe to a process it crashed: recorded before it is processed.
            const prepare = (): ConfirmableMessage => {
              const route = routeMessage(message.topic, message.payload, message.receivedAt);
              return { ...message, route, rows: rowsOf(route), settle, confirmation };
            };
            poison.handleRedelivery({ ...message, prepare, settle }, (attemptKey) => {
              crashIfFaulty(message.payload);
              batcher.add({ ...prepare(), attemptKey });
            });
            return;
          }
          crashIfFaulty(message.payload);
          // Never throws: a message it cannot handle becomes an internal_error dead letter.
          const route = routeMessage(message.topic, message.payload, message.receivedAt);
          if (route.kind === "failed")
            logger.error({ deviceId: route.deviceId, reason: route.reason }, "message_failed");
          batcher.add({ ...message, route, rows: rowsOf(route), settle, confirmation });
        },
        onConnectionChange: () => metrics.connectedConnections.set(connectedCount()),
        onStaleAck: () => metrics.staleAcks.inc(),
      }),
    );
  }

  function health(): Probe {
    const now = Date.now();
    const loopAlive = now - lastBeat < 5 * HEARTBEAT_MS;
    const flushStuck = batcher.size > 0 && now - batcher.lastActivityAt > STUCK_FLUSH_MS;
    const connections = consumers.map((consumer) => ({
      clientId: consumer.clientId,
      connected: consumer.connected,
      awayMs: consumer.connected ? 0 : now - (consumer.lastConnectedAt ?? startedAt),
    }));
    const brokerOk = connections.every((connection) => connection.awayMs < DISCONNECTED_GRACE_MS);
    return {
      ok: loopAlive && !flushStuck && brokerOk,
      body: { ok: loopAlive && !flushStuck && brokerOk, loopAlive, flushStuck, buffered: batcher.size, connections },
    };
  }

  let stopping: Promise<{ graceful: boolean }> | null = null;

  async function ready(): Promise<Probe> {
    const connected = connectedCount();
    let databaseOk = false;
    let databaseError: string | undefined;
    try {
      await withTimeout(database.db.execute(sql`SELECT 1`), 2000);
      databaseOk = true;
    } catch (error) {
      databaseError = error instanceof Error ? error.message : String(error);
    }
    const ok = stopping === null && databaseOk && connected > 0;
    return {
      ok,
      body: { ok, stopping: stopping !== null, database: databaseOk, databaseError, connected, of: consumers.length },
    };
  }

  const http: HttpServer = await startHttpServer({
    host: config.httpHost,
    port: config.httpPort,
    registry: metrics.registry,
    health,
    ready,
  }).catch(async (error: unknown) => {
    clearInterval(heartbeat);
    await pruning.stop();
    await Promise.all(consumers.map((consumer) => consumer.close(true)));
    await alarmNotices?.close();
    await database.close();
    throw error;
  });
  logger.info(
    {
      connections: config.connections,
      httpPort: http.port,
      batchMaxRows: config.batchMaxRows,
      batchMaxWaitMs: config.batchMaxWaitMs,
    },
    "ingest_started",
  );

  const noDataIntervalMs = config.noDataCheckIntervalMs ?? NO_DATA_CHECK_MS;
  const noDataCheck =
    noDataIntervalMs > 0
      ? startNoDataCheck({
          db: database.db,
          intervalMs: noDataIntervalMs,
          logger,
          metrics: alarmMetrics,
          clock,
          onAlarmNotices: alarmNotices?.publish,
        })
      : null;

  const readyPromise = Promise.all(consumers.map((consumer) => consumer.ready)).then(() => {
    logger.info({ connections: consumers.length }, "ingest_ready");
  });

  async function shutdown(): Promise<{ graceful: boolean }> {
    const began = Date.now();
    logger.info({ buffered: batcher.size }, "ingest_stopping");
    for (const consumer of consumers) consumer.stopConsuming();
    const graceful = async () => {
      // Redeliveries being recorded go on to the batcher: wait for them first.
      await poison.drain();
      await batcher.drain();
      await Promise.all(
        consumers.map((consumer) =>
          consumer.close(false).catch((error: unknown) => logger.error(errorFields(error), "mqtt_close_failed")),
        ),
      );
      return true;
    };
    const completed = await withTimeout(graceful(), config.shutdownTimeoutMs).catch((error: unknown) => {
      logger.error(errorFields(error), "ingest_graceful_stop_failed");
      return false;
    });
    if (!completed) {
      // Held messages stay unacked: the broker redelivers them to our sessions after restart.
      logger.error({ timeoutMs: config.shutdownTimeoutMs, unacked: batcher.size }, "ingest_shutdown_timeout");
      batcher.abort();
      poison.abort();
      await Promise.all(consumers.map((consumer) => consumer.close(true).catch(() => undefined)));
    }
    clearInterval(heartbeat);
    await noDataCheck?.stop();
    await pruning.stop();
    await alarmNotices?.close();
    try {
      await http.close();
    } catch (error) {
      logger.error(errorFields(error), "http_close_failed");
    }
    try {
      await withTimeout(database.close(), 2000);
    } catch (error) {
      logger.error(errorFields(error), "database_close_failed");
    }
    logger.info({ graceful: completed, ms: Date.now() - began }, "ingest_stopped");
    return { graceful: completed };
  }

  return {
    port: http.port,
    ready: readyPromise,
    metrics,
    stop() {
      stopping ??= shutdown();
      return stopping;
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
