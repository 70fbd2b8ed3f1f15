import { createHash } from "node:crypto";
import { deadLetters, type Executor, readings, sensorStates, sensors } from "@rantai/db";
import { inArray, type SQL, sql } from "drizzle-orm";
import { MAX_PAYLOAD_BYTES, printable } from "./bounded-json";
import { parseSensorTopic } from "./sensor-protocol";
import { sqlNameChunks, sqlNames } from "./sql-names";
import { sqlInteger, sqlIntegerOrNull, sqlUtcDateTime } from "./sql-values";

/**
 * Writes of the ingest path. Every function takes an executor so ingest can run them all in
 * one transaction per flush (group commit) and tests can point them at their own database.
 */

export interface ReadingRow {
  sensorId: number;
  /** Device time (measured at). */
  ts: Date;
  tempCentiC: number;
  batteryPct: number | null;
  seq: number | null;
  /** Server time the message arrived. */
  receivedAt: Date;
}

export interface StoreReadingsResult {
  /** Rows that did not exist before. */
  inserted: number;
  /** Rows whose (sensor, ts) was already stored, or repeated inside this call: left untouched. */
  duplicates: number;
}

interface ResultHeader {
  affectedRows: number;
  info?: string;
}

function resultHeader(result: unknown): ResultHeader {
  const header: unknown = Array.isArray(result) ? result[0] : result;
  if (typeof header === "object" && header !== null && "affectedRows" in header) {
    const { affectedRows, info } = header as { affectedRows: unknown; info?: unknown };
    if (typeof affectedRows === "number") return { affectedRows, info: typeof info === "string" ? info : "" };
  }
  throw new Error("unexpected result from mysql2: no affectedRows");
}

/**
 * How many rows of a no-op `ON DUPLICATE KEY UPDATE` were new. Each new row adds 1 to
 * affectedRows; a duplicate adds 1 with CLIENT_FOUND_ROWS (mysql2's default) and 0 without.
 * The server's info "Records: N  Duplicates: D" counts found duplicates only with
 * CLIENT_FOUND_ROWS, so `affectedRows − D` is the new rows either way. A single-row INSERT
 * has no info string: with CLIENT_FOUND_ROWS its duplicate is indistinguishable from a new
 * row (counted as new); ingest's pool turns CLIENT_FOUND_ROWS off for exact figures.
 */
export function countInserted(header: ResultHeader): number {
  const duplicates = /Duplicates:\s*(\d+)/.exec(header.info ?? "");
  return header.affectedRows - (duplicates ? Number(duplicates[1]) : 0);
}

const readingNames = sqlNames(readings);
const stateNames = sqlNames(sensorStates);
const stateChunks = sqlNameChunks(stateNames);

/* The readings INSERT around its VALUES, built once (see sql-names). */
const reading = readingNames.columns;
const INSERT_READINGS_HEAD = `INSERT INTO ${readingNames.table} (${reading.sensorId}, ${reading.ts}, ${reading.tempCentiC}, ${reading.batteryPct}, ${reading.seq}, ${reading.receivedAt}) VALUES `;
const INSERT_READINGS_TAIL = ` ON DUPLICATE KEY UPDATE ${reading.sensorId} = ${reading.sensorId}`;

/** The multi-row readings INSERT for rows `(sensor_id, ts, temp_centi_c, battery_pct, seq, received_at)`. */
export function insertReadingsSql(rows: readonly string[]): string {
  return INSERT_READINGS_HEAD + rows.join(",") + INSERT_READINGS_TAIL;
}

/**
 * Stores readings once: one multi-row INSERT whose duplicate-key branch is a no-op, so a
 * redelivered (sensor, ts) changes nothing (never INSERT IGNORE, which would also swallow
 * bad data). Then moves each sensor's state to its latest reading of the call, unless a
 * newer one is already there. Callers keep calls to ~1000 rows.
 */
export async function storeReadings(db: Executor, rows: readonly ReadingRow[]): Promise<StoreReadingsResult> {
  if (rows.length === 0) return { inserted: 0, duplicates: 0 };
  // Sorted by primary key: concurrent writers lock rows in the same order, avoiding deadlocks.
  const sorted = inKeyOrder(rows) ? rows : [...rows].sort(byKey);
  // One string (see sql-values): each received_at is formatted once per message, not per row.
  let receivedAt: Date | null = null;
  let receivedAtLiteral = "";
  const values = new Array<string>(sorted.length);
  for (let i = 0; i < sorted.length; i += 1) {
    const row = sorted[i] as ReadingRow;
    if (row.receivedAt !== receivedAt) {
      receivedAt = row.receivedAt;
      receivedAtLiteral = sqlUtcDateTime(receivedAt);
    }
    values[i] =
      `(${sqlInteger(row.sensorId)},${sqlUtcDateTime(row.ts)},${sqlInteger(row.tempCentiC)},${sqlIntegerOrNull(row.batteryPct)},${sqlIntegerOrNull(row.seq)},${receivedAtLiteral})`;
  }
  const result = await db.execute(sql.raw(insertReadingsSql(values)));
  const inserted = countInserted(resultHeader(result));
  await upsertSensorStates(db, latestPerSensor(sorted));
  return { inserted, duplicates: rows.length - inserted };
}

const byKey = (a: ReadingRow, b: ReadingRow) => a.sensorId - b.sensorId || a.ts.getTime() - b.ts.getTime();

/** Devices send their buffers oldest first, so a flush's rows are usually in key order already. */
function inKeyOrder(rows: readonly ReadingRow[]): boolean {
  for (let i = 1; i < rows.length; i += 1)
    if (byKey(rows[i - 1] as ReadingRow, rows[i] as ReadingRow) > 0) return false;
  return true;
}

/** Each sensor's reading with the greatest ts (rows sorted by sensor, then ts). */
function latestPerSensor(sorted: readonly ReadingRow[]): ReadingRow[] {
  const latest = new Map<number, ReadingRow>();
  for (const row of sorted) latest.set(row.sensorId, row);
  return [...latest.values()];
}

/* The sensor_states upsert around its VALUES, built once. */
const state = stateNames.columns;
const UPSERT_STATES_HEAD = `
    INSERT INTO ${stateNames.table} (${state.sensorId}, ${state.lastReadingAt}, ${state.lastTempCentiC}, ${state.lastBatteryPct}, ${state.lastReceivedAt})
    VALUES `;
const UPSERT_STATES_TAIL = `
    ON DUPLICATE KEY UPDATE
      ${state.lastTempCentiC} = IF(VALUES(${state.lastReadingAt}) > ${state.lastReadingAt}, VALUES(${state.lastTempCentiC}), ${state.lastTempCentiC}),
      ${state.lastBatteryPct} = IF(VALUES(${state.lastReadingAt}) > ${state.lastReadingAt}, VALUES(${state.lastBatteryPct}), ${state.lastBatteryPct}),
      ${state.lastReadingAt} = GREATEST(${state.lastReadingAt}, VALUES(${state.lastReadingAt})),
      ${state.lastReceivedAt} = VALUES(${state.lastReceivedAt})`;

/** The guarded sensor_states upsert for rows `(sensor_id, last_reading_at, last_temp_centi_c, last_battery_pct, last_received_at)`. */
export function upsertSensorStatesSql(rows: readonly string[]): string {
  return UPSERT_STATES_HEAD + rows.join(",") + UPSERT_STATES_TAIL;
}

/**
 * Guarded upsert of sensor_states. MariaDB/MySQL evaluate ON DUPLICATE KEY UPDATE
 * assignments left to right, each seeing the columns already assigned, so temperature and
 * battery are decided BEFORE last_reading_at moves. Written as SQL because Drizzle's
 * onDuplicateKeyUpdate orders assignments by table column order, which would compare
 * against the already-updated last_reading_at.
 */
async function upsertSensorStates(db: Executor, latest: readonly ReadingRow[]): Promise<void> {
  if (latest.length === 0) return;
  const values = latest.map(
    (row) =>
      `(${sqlInteger(row.sensorId)},${sqlUtcDateTime(row.ts)},${sqlInteger(row.tempCentiC)},${sqlIntegerOrNull(row.batteryPct)},${sqlUtcDateTime(row.receivedAt)})`,
  );
  await db.execute(sql.raw(upsertSensorStatesSql(values)));
}

export interface SensorOnlineUpdate {
  sensorId: number;
  online: boolean;
  at: Date;
}

/** The status UPDATE of one sensor (online_changed_at moves only when online changes). */
export function updateSensorOnlineSql(update: SensorOnlineUpdate): SQL {
  const { table, columns: c } = stateChunks;
  return sql`
    UPDATE ${table}
    SET ${c.onlineChangedAt} = IF(${c.online} <=> ${update.online}, ${c.onlineChangedAt}, ${update.at}),
        ${c.online} = ${update.online}
    WHERE ${c.sensorId} = ${update.sensorId}`;
}

/**
 * Applies a device's online/offline status to its sensor_states row. Returns false when the
 * sensor has no state row yet (no reading ever stored): the status is then skipped, since a
 * state row needs a reading. online_changed_at moves only when online actually changes.
 */
export async function updateSensorOnline(db: Executor, update: SensorOnlineUpdate): Promise<boolean> {
  const result = await db.execute(updateSensorOnlineSql(update));
  // "Rows matched: 1  Changed: 0" is still a match; affectedRows alone depends on CLIENT_FOUND_ROWS.
  const header = resultHeader(result);
  const matched = /Rows matched:\s*(\d+)/.exec(header.info ?? "");
  return matched ? Number(matched[1]) > 0 : header.affectedRows > 0;
}

export interface DeadLetterRow {
  source: string;
  topic: string;
  deviceId: string | null;
  reasonCode: string;
  reason: string;
  readingIndex: number | null;
  /** The raw bytes, exactly as received. */
  payload: Buffer;
  details?: unknown;
  receivedAt: Date;
}

/**
 * Payload bytes a dead letter keeps: every payload the protocol allows is kept whole, so a
 * rejected message (an unregistered device's batch, say) can be replayed after the fix. A
 * bigger one reaches ingest only if the broker's max_packet_size was raised; it keeps its
 * first bytes, and payload_bytes and payload_sha256 describe the whole.
 */
export const MAX_DEAD_LETTER_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES;
/** dead_letters.reason is VARCHAR(2000). */
export const MAX_DEAD_LETTER_REASON_CHARS = 2000;
/** details as JSON text; a larger value is replaced by a note saying so. */
export const MAX_DEAD_LETTER_DETAILS_CHARS = 131_072;

type DeadLetterInsert = typeof deadLetters.$inferInsert;

/**
 * A dead letter as its row: whatever the message was, the row fits its columns and the reason is
 * printable (the caller's text may quote device input). Never throws, so one odd message cannot
 * make a flush — and with it every other message of the flush — fail again on each retry.
 */
export function deadLetterValues(row: DeadLetterRow): DeadLetterInsert {
  const whole = row.payload;
  return {
    source: printable(row.source, 16),
    topic: printable(row.topic, 255),
    deviceId: row.deviceId === null ? null : printable(row.deviceId, 64),
    reasonCode: printable(row.reasonCode, 48),
    reason: printable(row.reason, MAX_DEAD_LETTER_REASON_CHARS),
    readingIndex:
      row.readingIndex !== null && Number.isSafeInteger(row.readingIndex) && row.readingIndex >= 0
        ? Math.min(row.readingIndex, 4_294_967_295)
        : null,
    payload: whole.length > MAX_DEAD_LETTER_PAYLOAD_BYTES ? whole.subarray(0, MAX_DEAD_LETTER_PAYLOAD_BYTES) : whole,
    payloadBytes: whole.length,
    payloadSha256: createHash("sha256").update(whole).digest("hex"),
    // A status payload carries no time: the same bytes later are a new event, not a redelivery.
    messageKey: parseSensorTopic(row.topic)?.channel === "status" ? null : deadLetterKey(row.source, row.topic, whole),
    details: boundedDetails(row.details),
    receivedAt: row.receivedAt,
  };
}

/**
 * One dead letter per message: a message redelivered after its dead letter committed (its ack
 * lost to a reconnect) has the same source, topic and bytes, and so the same key.
 */
export function deadLetterKey(source: string, topic: string, payload: Buffer): string {
  return createHash("sha256").update(source).update("\0").update(topic).update("\0").update(payload).digest("hex");
}

/** details as stored: plain JSON within MAX_DEAD_LETTER_DETAILS_CHARS, or a note why not. */
function boundedDetails(details: unknown): unknown {
  if (details === undefined || details === null) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(details);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { omitted: "the details could not be written as JSON" };
  if (text.length > MAX_DEAD_LETTER_DETAILS_CHARS) {
    return {
      omitted: `the details were ${text.length} characters of JSON; at most ${MAX_DEAD_LETTER_DETAILS_CHARS} are kept`,
    };
  }
  // Parsed back from the checked text: the column gets exactly the JSON that was measured.
  return JSON.parse(text);
}

/** Keeps multi-row dead-letter INSERTs well under max_allowed_packet (16 MiB by default). */
const DEAD_LETTER_CHUNK_BYTES = 4 * 1024 * 1024;

/** Stores rejected payloads with their raw bytes and reason; column limits are respected here. */
export async function storeDeadLetters(db: Executor, rows: readonly DeadLetterRow[]): Promise<void> {
  let chunk: DeadLetterInsert[] = [];
  let chunkBytes = 0;
  const flush = async () => {
    // A redelivered message's dead letter is already there: the duplicate key changes nothing.
    if (chunk.length > 0)
      await db
        .insert(deadLetters)
        .values(chunk)
        .onDuplicateKeyUpdate({ set: { messageKey: sql`${deadLetters.messageKey}` } });
    chunk = [];
    chunkBytes = 0;
  };
  for (const row of rows) {
    const values = deadLetterValues(row);
    // Bytes as hex in the statement (2 per byte), reason and details up to 4 bytes a character.
    const bytes = 2 * values.payload.length + 4 * (values.reason.length + JSON.stringify(values.details).length) + 512;
    if (chunkBytes + bytes > DEAD_LETTER_CHUNK_BYTES) await flush();
    chunk.push(values);
    chunkBytes += bytes;
  }
  await flush();
}

export interface SensorRef {
  id: number;
  active: boolean;
}

/** deviceId → sensor, for the device ids that are registered; others are absent. */
export async function findSensorsByDeviceIds(
  db: Executor,
  deviceIds: readonly string[],
): Promise<Map<string, SensorRef>> {
  const found = new Map<string, SensorRef>();
  if (deviceIds.length === 0) return found;
  const rows = await db
    .select({ id: sensors.id, deviceId: sensors.deviceId, active: sensors.active })
    .from(sensors)
    .where(inArray(sensors.deviceId, [...new Set(deviceIds)]));
  for (const row of rows) found.set(row.deviceId, { id: row.id, active: row.active });
  return found;
}
