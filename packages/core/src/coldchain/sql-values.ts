/**
 * SQL literals for the ingest path's bulk statements, which are built as one string: at
 * ~1,000 rows per statement, Drizzle's per-value parameter objects cost more CPU than the
 * INSERT itself. Only numbers and times pass through here — checked integers and UTC
 * DATETIME(3) literals — so nothing from a device reaches the SQL text unvalidated.
 */

export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`expected an integer for a SQL value, got ${value}`);
  return String(value);
}

export function sqlIntegerOrNull(value: number | null): string {
  return value === null ? "NULL" : sqlInteger(value);
}

const DAY_MS = 86_400_000;
/** Year 10000 starts here: DATETIME's range ends before it. */
const MAX_DATETIME_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** "YYYY-MM-DD " per UTC day number; a flush touches a few days, so this stays small. */
const dayPrefixes = new Map<number, string>();

/**
 * `'YYYY-MM-DD hh:mm:ss.mmm'` in UTC (every connection runs in UTC), for epoch milliseconds or a
 * Date. Same text as `toISOString()` with a space, without its per-call work.
 */
export function sqlUtcDateTime(at: Date | number): string {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= MAX_DATETIME_MS) throw new Error(`unexpected timestamp ${ms}`);
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 512) dayPrefixes.clear();
    prefix = `'${new Date(day * DAY_MS).toISOString().slice(0, 10)} `;
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}'`;
}

export function sqlUtcDateTimeOrNull(at: Date | number | null | undefined): string {
  return at === null || at === undefined ? "NULL" : sqlUtcDateTime(at);
}

/** A value of a fixed set of plain words (an ENUM column), quoted; anything else throws. */
export function sqlEnum<T extends string>(value: T, allowed: readonly T[]): string {
  if (!allowed.includes(value) || !/^[a-z_]+$/.test(value))
    throw new Error(`unexpected value ${value} for an enum column`);
  return `'${value}'`;
}
