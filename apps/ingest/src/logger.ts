/**
 * One JSON line per event on stdout (warnings and errors on stderr). JSON encoding escapes
 * CR/LF, so values from the network cannot forge lines. Never log secrets or payload bytes.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(base: LogFields = {}, write = defaultWrite): Logger {
  const emit = (level: LogLevel, event: string, fields: LogFields = {}) =>
    write(level, JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields }));
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}

function defaultWrite(level: LogLevel, line: string): void {
  if (level === "info") process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}

/** The parts of an error worth a log line: no stack for expected failures, no connection strings. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = "code" in error ? error.code : undefined;
  return { error: error.message.slice(0, 500), ...(code === undefined ? {} : { code }) };
}
