/**
 * One JSON line per event. JSON encoding escapes CR/LF, so user-supplied values cannot forge
 * log lines. Never pass secrets (passwords, tokens, hashes) in `fields`.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
