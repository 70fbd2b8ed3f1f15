import { hostname } from "node:os";
import { ZEarlyWarningConfigSchema } from "@rantai/core/coldchain/early-warning";
import { logEnv } from "@rantai/core/kernel/log-level";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { z } from "zod";

/*
 * The only place in apps/ingest that reads process.env: one section for the ingest worker,
 * one for the simulator. Each is parsed once at start-up; a bad value stops the process with
 * a message naming the variable and a good example.
 */

const int = (example: string) =>
  z.coerce.number({ error: `must be a whole number, e.g. ${example}` }).int(`must be a whole number, e.g. ${example}`);

const mqttEnv = {
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?):\/\/[^/\s]+/, { error: "must look like mqtt://127.0.0.1:1884 (or mqtts://, ws://, wss://)" })
    .default("mqtt://127.0.0.1:1884"),
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
};

/** Client ids must be stable per replica (persistent sessions hang off them): hostname by default. */
const defaultClientId = `ingest-${hostname()
  .replace(/[^A-Za-z0-9._-]/g, "-")
  .slice(0, 40)}`;

export const ZIngestEnvSchema = databaseEnv.extend({
  ...mqttEnv,
  ...logEnv,
  /** Where committed alarm changes are announced to the consoles' live alarm inboxes (pub/sub). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: "must look like redis://127.0.0.1:6379" })
    .default("redis://127.0.0.1:6379"),
  INGEST_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,48}$/, { error: "must be 1-48 letters, digits, '.', '_' or '-', e.g. ingest-0" })
    .default(defaultClientId),
  // Each connection holds one unacknowledged message until its rows commit, so a flush can hold
  // at most this many messages: the reconnect storm commits ~40 % more readings a second with 64
  // than with 32 (bigger flushes), and 32 already kept up with 20,000 sensors at one reading a
  // minute (npm run bench:ingest).
  INGEST_CONNECTIONS: int("64").min(1).max(256).default(64),
  INGEST_HTTP_HOST: z.string().min(1).default("0.0.0.0"),
  INGEST_HTTP_PORT: int("9464").min(0).max(65535).default(9464),
  // Rows per flush and per INSERT. Per-flush work (locks, sensor states, rollups, alarms, commit)
  // is shared by the flush's rows: 5,000 commits ~60 % more readings a second than 1,000 in the
  // storm benchmark. Live traffic flushes on time long before that (INGEST_BATCH_MAX_WAIT_MS).
  INGEST_BATCH_MAX_ROWS: int("5000").min(1).max(10_000).default(5000),
  INGEST_BATCH_MAX_WAIT_MS: int("50").min(0).max(10_000).default(50),
  // Flushes in progress at once, each on its own database connection (devices are split over
  // them by id): while the database commits one batch the process prepares the next.
  INGEST_FLUSH_LANES: int("2").min(1).max(16).default(2),
  INGEST_SHUTDOWN_TIMEOUT_MS: int("10000").min(100).max(300_000).default(10_000),
  /**
   * How often each replica looks for silent sensors (NO_DATA). The shortest silence is 60 min,
   * so an alarm is raised at most this long after the silence passed its limit; every round
   * costs each replica two queries.
   */
  INGEST_NO_DATA_CHECK_SECONDS: int("60")
    .min(5, { error: "must be at least 5 seconds (each replica queries the database every round), e.g. 60" })
    .max(3600, { error: "must be at most 3600 seconds (silence alarms would come an hour late), e.g. 60" })
    .default(60),
  /**
   * Raw readings older than this many days are dropped, a whole day partition at a time (the
   * hourly/daily rollups are kept). At least 31: ingest accepts readings up to 30 days old.
   */
  READINGS_RETENTION_DAYS: int("400").min(31).max(36_500).default(400),
  /** Daily partitions of `readings` are created this many days ahead. */
  READINGS_PARTITION_DAYS_AHEAD: int("14").min(2).max(366).default(14),
  /**
   * Attempts a message gets (deliveries that crashed ingest, flushes that failed other than by a
   * database outage) before it is quarantined as a `poison` dead letter (see poison.ts).
   */
  INGEST_POISON_MAX_ATTEMPTS: int("3").min(1).max(100).default(3),
  /**
   * The early warning's settings over its defaults, as JSON (core coldchain/early-warning.ts,
   * ZEarlyWarningConfigSchema), e.g. {"horizonMinutes":60} or {"enabled":false}.
   */
  INGEST_EARLY_WARNING: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: "custom", message: 'must be JSON settings, e.g. {"horizonMinutes":60}' });
        return z.NEVER;
      }
      const config = ZEarlyWarningConfigSchema.safeParse(parsed);
      if (config.success) return config.data;
      for (const issue of config.error.issues)
        ctx.addIssue({ code: "custom", message: `${issue.path.join(".") || "settings"}: ${issue.message}` });
      return z.NEVER;
    }),
  /**
   * FAULT HOOK for tests and operations drills only; unset (off) in service. Ingest exits at once
   * (code 70) when it processes a payload containing this text, as a crash would.
   */
  INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING: z
    .string()
    .min(8, { error: "must be at least 8 characters, so that no ordinary payload contains it" })
    .max(128)
    .optional(),
});
export type IngestEnv = z.infer<typeof ZIngestEnvSchema>;

export function readIngestEnv(): IngestEnv {
  return parseEnv(ZIngestEnvSchema, process.env);
}

export const ZSimulatorEnvSchema = databaseEnv.extend({
  ...mqttEnv,
  ...logEnv,
  /** Seconds between two readings of one device; 10 s makes a lively demo, real loggers use 300-600. */
  SIMULATOR_INTERVAL_SECONDS: z.coerce
    .number({ error: "must be a number of seconds, e.g. 10" })
    .min(0.1)
    .max(3600)
    .default(10),
  /** Simulate only the first N active sensors (by device id); 0 = all. */
  SIMULATOR_DEVICE_LIMIT: int("0").min(0).default(0),
});
export type SimulatorEnv = z.infer<typeof ZSimulatorEnvSchema>;

export function readSimulatorEnv(): SimulatorEnv {
  return parseEnv(ZSimulatorEnvSchema, process.env);
}

/** Broker user names reserved for services (devices may not take them); see coldchain/sensors/credentials. */
const serviceUsername = z.string().regex(/^(ingest|ingest-[A-Za-z0-9._-]+|svc-[A-Za-z0-9._-]+)$/i, {
  error: "must be 'ingest', 'ingest-…' or 'svc-…' (names devices cannot register), e.g. ingest",
});

const brokerHash = z.string().regex(/^\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, {
  error: "must be a Mosquitto PBKDF2-SHA512 hash as mosquitto_passwd writes it ($7$101$…$…)",
});

/**
 * `tsx src/broker-auth/main.ts [--watch]`: writes Mosquitto's password and ACL files from the
 * database (active sensors plus the ingest service account) and SIGHUPs the broker when they change.
 */
export const ZBrokerAuthEnvSchema = databaseEnv
  .extend({
    ...logEnv,
    BROKER_PASSWORD_FILE: z.string({ error: "is required: where the broker's password_file lives" }).min(1),
    BROKER_ACL_FILE: z.string({ error: "is required: where the broker's acl_file lives" }).min(1),
    /** Mosquitto's pid_file; when set, the broker is sent SIGHUP after the files change. */
    BROKER_PID_FILE: z.string().min(1).optional(),
    BROKER_AUTH_SYNC_INTERVAL_SECONDS: z.coerce
      .number({ error: "must be a number of seconds, e.g. 10" })
      .min(1)
      // A disabled sensor or rotated secret must be refused within 60 s: the sync plus the reload.
      .max(50, { error: "must be at most 50 seconds, so a disabled sensor is dropped within a minute" })
      .default(10),
    BROKER_INGEST_USERNAME: serviceUsername.default("ingest"),
    /** The ingest account's password (hashed into the password file), or its hash. One is required. */
    BROKER_INGEST_PASSWORD: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
    BROKER_INGEST_PASSWORD_HASH: brokerHash.optional(),
  })
  .refine((env) => (env.BROKER_INGEST_PASSWORD === undefined) !== (env.BROKER_INGEST_PASSWORD_HASH === undefined), {
    error: "set exactly one of BROKER_INGEST_PASSWORD or BROKER_INGEST_PASSWORD_HASH",
    path: ["BROKER_INGEST_PASSWORD"],
  });
export type BrokerAuthEnv = z.infer<typeof ZBrokerAuthEnvSchema>;

export function readBrokerAuthEnv(): BrokerAuthEnv {
  return parseEnv(ZBrokerAuthEnvSchema, process.env);
}
