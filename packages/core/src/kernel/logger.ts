import { type DestinationStream, type Logger, pino } from "pino";
import type { LogLevel } from "./log-level";

/**
 * The one logger of every Rantai process: pino writing one JSON line per event, in one shape
 * whichever process wrote it:
 *
 *   {"level":"warn","time":"2026-01-31T08:00:00.000Z","service":"ingest","requestId":"…",
 *    "actorId":7,…fields,"msg":"stock_deadlock_retry"}
 *
 * `msg` is the event name (snake_case, stable: alerts and tests match on it); the fields say
 * what happened to what. Request or message context (`requestId`, `messageId`, `actorId`) rides
 * on child loggers. JSON encoding escapes CR/LF, so values from users or devices cannot forge
 * lines. Secrets are redacted by the configuration below, whoever forgets them in a field.
 */
export type { Logger } from "pino";
export type LogFields = Record<string, unknown>;

export { type LogLevel, logEnv, logLevels } from "./log-level";

/**
 * Field paths whose values never reach a log line, at the top level and one object down
 * (`{ user: { password } }`, `{ headers: { authorization } }`). Database URLs carry their
 * password in the user-info part; an error message that quotes one is cleaned by errorFields.
 */
const secretKeys = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "token",
  "accessToken",
  "refreshToken",
  "sessionToken",
  "apiToken",
  "bearer",
  "secret",
  "credential",
  "credentialHash",
  "brokerPasswordHash",
  "authorization",
  "cookie",
  "set-cookie",
  "AUTH_SECRET",
  "NEXTAUTH_SECRET",
  "DATABASE_URL",
  "TEST_MYSQL_URL",
  "databaseUrl",
  "MQTT_PASSWORD",
  "BROKER_INGEST_PASSWORD",
  "BROKER_INGEST_PASSWORD_HASH",
] as const;

export const redactedPaths: readonly string[] = secretKeys.flatMap((key) => {
  const path = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  return [path, path.startsWith("[") ? `*${path}` : `*.${path}`];
});

export const REDACTED = "[redacted]";

export interface LoggerOptions {
  /** Which process writes: web, ingest, simulator, broker-auth, worker, cli… */
  service: string;
  level?: LogLevel;
  /** Fields every line of this process carries (e.g. ingest's MQTT client id). */
  base?: LogFields;
  /** Where lines go; stdout when absent. Tests pass a stream and read the lines back. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...redactedPaths], censor: REDACTED },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/*
 * The process's logger. Each process's entry point configures it once from its validated env.
 * Until then (tests, one-off scripts) lines go at info under the service "rantai" through the
 * console, which test runners hold back for passing tests. Domain code reads it per call
 * (processLogger()), so that configuring it later still applies.
 */
let current: Logger | null = null;

export function configureProcessLogger(options: LoggerOptions): Logger {
  current = createLogger(options);
  return current;
}

const consoleDestination: DestinationStream = { write: (line) => console.log(line.trimEnd()) };

export function processLogger(): Logger {
  current ??= createLogger({ service: "rantai", destination: consoleDestination });
  return current;
}

/** The context of one request or message, carried by every line its child logger writes. */
export interface LogContext {
  requestId?: string;
  messageId?: string;
  actorId?: number | null;
}

/** A child of the process logger for one request or message (undefined fields are left out). */
export function contextLogger(context: LogContext, parent: Logger = processLogger()): Logger {
  const bindings: LogFields = {};
  if (context.requestId !== undefined) bindings.requestId = context.requestId;
  if (context.messageId !== undefined) bindings.messageId = context.messageId;
  if (context.actorId !== undefined && context.actorId !== null) bindings.actorId = context.actorId;
  return parent.child(bindings);
}

/** user:password@ in a URL (a database or broker address quoted by an error message). */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi;

/**
 * The parts of an error worth a log line: its message (bounded, credentials in URLs removed, a
 * failed query's parameters cut off: token hashes may be among them) and driver code; no stack
 * for expected failures.
 */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: cleanMessage(String(error)) };
  const code = "code" in error ? error.code : undefined;
  return { error: cleanMessage(error.message), ...(code === undefined ? {} : { code }) };
}

function cleanMessage(message: string): string {
  return (message.split("\nparams:")[0] ?? "").replace(URL_CREDENTIALS, `$1${REDACTED}@`).slice(0, 500);
}
