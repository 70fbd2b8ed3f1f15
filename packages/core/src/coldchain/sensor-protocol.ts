import { z } from "zod";
import { decodeBoundedJson, preview } from "./bounded-json";

export {
  MAX_JSON_ARRAY_ITEMS,
  MAX_JSON_DEPTH,
  MAX_JSON_NUMBER_CHARS,
  MAX_JSON_OBJECT_KEYS,
  MAX_JSON_STRING_BYTES,
  MAX_PAYLOAD_BYTES,
  printable,
  RESERVED_JSON_KEYS,
} from "./bounded-json";

/**
 * Sensor protocol v1 (docs/sensor-protocol.md): topics, payload limits and pure parsing.
 * Nothing here throws on device input: every payload ends up accepted or rejected with a
 * reason code and a sentence that says what is wrong and how to fix it. The bytes pass the
 * limits of ./bounded-json before anything builds or walks a value from them.
 */

export const TOPIC_PREFIX = "coldchain/v1/sensors";
export const READINGS_TOPIC_FILTER = `${TOPIC_PREFIX}/+/readings`;
export const STATUS_TOPIC_FILTER = `${TOPIC_PREFIX}/+/status`;
/** Letters, digits and . _ : - ; at most 64 characters (sensors.device_id is VARCHAR(64)). */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const MAX_READINGS_PER_MESSAGE = 1000;
export const MIN_TEMP_C = -90;
export const MAX_TEMP_C = 70;
export const MAX_READING_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** readings.seq is INT UNSIGNED. */
export const MAX_SEQ = 4_294_967_295;

export const rejectionCodes = [
  "payload_too_large",
  "invalid_encoding",
  "invalid_json",
  "nesting_too_deep",
  "array_too_long",
  "string_too_long",
  "too_many_keys",
  "number_out_of_range",
  "duplicate_key",
  "reserved_key",
  "invalid_payload",
  "ambiguous_payload",
  "batch_empty",
  "batch_too_large",
  "invalid_reading",
  "invalid_ts",
  "ts_too_old",
  "ts_in_future",
  "invalid_temp",
  "temp_out_of_range",
  "invalid_battery",
  "invalid_seq",
  "invalid_status",
  "topic_mismatch",
  "device_mismatch",
  "unknown_device",
  "inactive_device",
  "internal_error",
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

export interface ValidReading {
  ts: Date;
  /** Hundredths of a degree Celsius: Math.round(tempC × 100). */
  tempCentiC: number;
  batteryPct: number | null;
  seq: number | null;
}

export interface Rejection {
  /** Position in `{"readings": [...]}` when one reading was rejected; null when the whole message was. */
  index: number | null;
  code: RejectionCode;
  reason: string;
}

export interface ParsedReadings {
  accepted: ValidReading[];
  rejected: Rejection[];
}

export type SensorChannel = "readings" | "status";

export function readingsTopic(deviceId: string): string {
  return `${TOPIC_PREFIX}/${deviceId}/readings`;
}

export function statusTopic(deviceId: string): string {
  return `${TOPIC_PREFIX}/${deviceId}/status`;
}

/** `coldchain/v1/sensors/{deviceId}/readings|status` → its parts; anything else → null. */
export function parseSensorTopic(topic: string): { deviceId: string; channel: SensorChannel } | null {
  const parts = topic.split("/");
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}/${parts[2]}` !== TOPIC_PREFIX) return null;
  const [, , , deviceId, channel] = parts;
  if (deviceId === undefined || !DEVICE_ID_PATTERN.test(deviceId)) return null;
  if (channel !== "readings" && channel !== "status") return null;
  return { deviceId, channel };
}

export function describeTopicMismatch(topic: string): string {
  return (
    `topic ${show(topic)} does not match ${TOPIC_PREFIX}/{deviceId}/readings or .../status ` +
    "(deviceId: 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit)"
  );
}

/**
 * A value as it appears in a reason, shortened so one bad field cannot fill the dead-letter row;
 * it reads only as much of the value as it shows.
 */
export function show(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = preview(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** ISO-8601 date-time with an explicit offset → epoch ms (truncated to ms), or null. */
export function parseIsoWithOffset(text: string): number | null {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) =>
    Number(part ?? "0"),
  ) as [number, number, number, number, number, number];
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, millis);
  return utc.getTime() - offsetMinutes * 60_000;
}

const TS_RULE = 'ts must be an ISO-8601 time with an offset (e.g. "2025-01-31T08:15:00+07:00") or epoch milliseconds';

const ZTimestampSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    if (value > 1e9 && value < 1e11) {
      ctx.addIssue({
        code: "custom",
        message: `${TS_RULE}; got ${show(value)}, which looks like epoch seconds (×1000)`,
      });
      return z.NEVER;
    }
    return value;
  }
  if (typeof value === "string") {
    const ms = parseIsoWithOffset(value);
    if (ms !== null) return ms;
  }
  ctx.addIssue({ code: "custom", message: `${TS_RULE}; got ${show(value)}` });
  return z.NEVER;
});

const TEMP_RULE = `tempC must be a finite number between ${MIN_TEMP_C} and ${MAX_TEMP_C} (°C)`;
const BATTERY_RULE = "batteryPct, when sent, must be a number from 0 to 100 (or null)";
const SEQ_RULE = `seq, when sent, must be a whole number from 0 to ${MAX_SEQ} (or null)`;

/** One reading as a device sends it. Unknown fields pass through untouched: newer firmware may add some. */
export const ZReadingSchema = z.looseObject({
  ts: ZTimestampSchema,
  tempC: z
    .number({ error: (issue) => `${TEMP_RULE}; got ${show(issue.input)}` })
    .min(MIN_TEMP_C, { error: (issue) => `${TEMP_RULE}; got ${show(issue.input)}` })
    .max(MAX_TEMP_C, { error: (issue) => `${TEMP_RULE}; got ${show(issue.input)}` }),
  batteryPct: z
    .number({ error: (issue) => `${BATTERY_RULE}; got ${show(issue.input)}` })
    .min(0)
    .max(100)
    .nullish(),
  seq: z
    .number({ error: (issue) => `${SEQ_RULE}; got ${show(issue.input)}` })
    .int()
    .min(0)
    .max(MAX_SEQ)
    .nullish(),
});

const fieldCodes: Record<string, { type: RejectionCode; range: RejectionCode }> = {
  ts: { type: "invalid_ts", range: "invalid_ts" },
  tempC: { type: "invalid_temp", range: "temp_out_of_range" },
  batteryPct: { type: "invalid_battery", range: "invalid_battery" },
  seq: { type: "invalid_seq", range: "invalid_seq" },
};
const fieldRules: Record<string, string> = { batteryPct: BATTERY_RULE, seq: SEQ_RULE };

function rejectionFromIssues(issues: z.core.$ZodIssue[], input: unknown): Omit<Rejection, "index"> {
  const messages: string[] = [];
  let code: RejectionCode | null = null;
  for (const issue of issues) {
    const field = typeof issue.path[0] === "string" ? issue.path[0] : "";
    const codes = fieldCodes[field];
    if (!codes) continue;
    const isRange = issue.code === "too_big" || issue.code === "too_small";
    code ??= isRange ? codes.range : codes.type;
    const rule = fieldRules[field];
    const value = typeof input === "object" && input !== null ? (input as Record<string, unknown>)[field] : undefined;
    // Range and integer checks of optional fields carry zod's default text; restate the rule.
    messages.push(rule && !issue.message.startsWith(rule) ? `${rule}; got ${show(value)}` : issue.message);
  }
  if (code === null) {
    return {
      code: "invalid_reading",
      reason: `a reading must be a JSON object like {"ts": "2025-01-31T08:15:00+07:00", "tempC": 4.5}; got ${show(input)}`,
    };
  }
  return { code, reason: messages.join("; ") };
}

type ReadingFields = Pick<z.output<typeof ZReadingSchema>, "ts" | "tempC" | "batteryPct" | "seq">;

/**
 * The common case checked by hand: epoch-millisecond ts and plain numbers, each within what
 * ZReadingSchema accepts. Returns null for anything else, which then goes through the schema
 * (the rule of record, and the source of every rejection's reason). A storm brings ~100,000
 * readings a second; this skips the schema's per-reading work for the ones that are plainly
 * fine. The test "the fast path accepts only what the schema accepts" holds the two together.
 */
export function plainlyValidReading(input: unknown): ReadingFields | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const { ts, tempC, batteryPct, seq } = input as Record<string, unknown>;
  if (typeof ts !== "number" || !Number.isSafeInteger(ts) || (ts > 1e9 && ts < 1e11)) return null;
  if (typeof tempC !== "number" || !(tempC >= MIN_TEMP_C && tempC <= MAX_TEMP_C)) return null;
  if (batteryPct != null && (typeof batteryPct !== "number" || !(batteryPct >= 0 && batteryPct <= 100))) return null;
  if (seq != null && (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ)) return null;
  return { ts, tempC, batteryPct: batteryPct ?? null, seq: seq ?? null };
}

/** The schema's verdict on one reading's fields (no time window yet). */
export function parseReadingFields(input: unknown): ReadingFields | Omit<Rejection, "index"> {
  const plain = plainlyValidReading(input);
  if (plain) return plain;
  const parsed = ZReadingSchema.safeParse(input);
  return parsed.success ? parsed.data : rejectionFromIssues(parsed.error.issues, input);
}

/** One reading: schema, then the time window relative to the server clock. */
export function parseReading(input: unknown, now: Date): ValidReading | Omit<Rejection, "index"> {
  const fields = parseReadingFields(input);
  if ("code" in fields) return fields;
  const { ts, tempC, batteryPct, seq } = fields;
  const ageMs = now.getTime() - ts;
  if (ageMs > MAX_READING_AGE_MS) {
    return {
      code: "ts_too_old",
      reason: `ts ${new Date(ts).toISOString()} is more than 30 days before the server time ${now.toISOString()}; such readings are not accepted (check the device clock and time zone)`,
    };
  }
  if (-ageMs > MAX_CLOCK_SKEW_MS) {
    return {
      code: "ts_in_future",
      reason: `ts ${new Date(ts).toISOString()} is more than 5 minutes after the server time ${now.toISOString()}; sync the device clock (NTP) and include the UTC offset`,
    };
  }
  return {
    ts: new Date(ts),
    // "+ 0" turns -0 into 0.
    tempCentiC: Math.round(tempC * 100) + 0,
    batteryPct: batteryPct == null ? null : Math.round(batteryPct),
    seq: seq ?? null,
  };
}

function isValidReading(value: ValidReading | Omit<Rejection, "index">): value is ValidReading {
  return "ts" in value;
}

/**
 * The topic is the identity (the broker's ACL ties it to the signed-in device). A payload that
 * names another device in a `deviceId` field is quarantined rather than stored under the topic's
 * sensor: a misconfigured or cloned logger, or a gateway mixing devices up. Returns the reason,
 * or null when the payload names no device or the same one.
 */
function otherDeviceClaim(value: unknown, topicDeviceId: string | undefined): string | null {
  if (topicDeviceId === undefined || typeof value !== "object" || value === null || !("deviceId" in value)) return null;
  const claimed = value.deviceId;
  if (claimed === topicDeviceId) return null;
  return (
    `payload deviceId ${show(claimed)} differs from the topic's device ${show(topicDeviceId)}; ` +
    "the topic is the identity: publish each device's readings on its own topic, or drop deviceId from the payload"
  );
}

const READING_FIELDS = ["ts", "tempC", "batteryPct", "seq"] as const;

/**
 * A payload with both a `readings` batch and fields of a top-level reading: storing either part
 * would silently drop the other, so the whole message is refused. Returns the reason, or null.
 */
function ambiguousFields(value: object): string | null {
  if (!Object.hasOwn(value, "readings")) return null;
  const stray = READING_FIELDS.filter((field) => Object.hasOwn(value, field));
  if (stray.length === 0) return null;
  return (
    `payload has both a "readings" batch and top-level reading fields (${stray.join(", ")}); ` +
    'send either one reading or {"readings": [...]} with every reading inside the list, not both'
  );
}

function wholeMessage(code: RejectionCode, reason: string): ParsedReadings {
  return { accepted: [], rejected: [{ index: null, code, reason }] };
}

/**
 * A readings payload: one reading object, or `{"readings": [...]}` with 1..1000 readings.
 * In a batch each bad reading is rejected alone, with its index; the rest are accepted.
 */
export function parseReadingsPayload(bytes: Buffer, now: Date, topicDeviceId?: string): ParsedReadings {
  const decoded = decodeBoundedJson(bytes);
  if (!decoded.ok) {
    const fix =
      decoded.code === "payload_too_large" || decoded.code === "batch_too_large"
        ? `send at most ${MAX_READINGS_PER_MESSAGE} readings per message: split the buffer into several messages`
        : 'send UTF-8 JSON within the protocol limits: one reading or {"readings": [...]}, e.g. {"ts": 1738286100000, "tempC": 4.5}';
    return wholeMessage(decoded.code, `${decoded.problem}; ${fix}`);
  }
  const value = decoded.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const hint = Array.isArray(value) ? ' (wrap a list as {"readings": [...]})' : "";
    return wholeMessage(
      "invalid_payload",
      `payload must be a JSON object: one reading or {"readings": [...]}${hint}; got ${show(value)}`,
    );
  }
  const claimed = otherDeviceClaim(value, topicDeviceId);
  if (claimed) return wholeMessage("device_mismatch", claimed);
  const ambiguous = ambiguousFields(value);
  if (ambiguous) return wholeMessage("ambiguous_payload", ambiguous);
  if (!("readings" in value)) {
    const reading = parseReading(value, now);
    return isValidReading(reading)
      ? { accepted: [reading], rejected: [] }
      : { accepted: [], rejected: [{ index: null, ...reading }] };
  }
  const list: unknown = value.readings;
  if (!Array.isArray(list)) {
    return wholeMessage("invalid_payload", `"readings" must be an array of reading objects; got ${show(list)}`);
  }
  if (list.length === 0) {
    return wholeMessage(
      "batch_empty",
      `"readings" is empty; send at least one reading (at most ${MAX_READINGS_PER_MESSAGE})`,
    );
  }
  if (list.length > MAX_READINGS_PER_MESSAGE) {
    return wholeMessage(
      "batch_too_large",
      `"readings" has ${list.length} readings; the limit is ${MAX_READINGS_PER_MESSAGE} per message: split the buffer into several messages`,
    );
  }
  const result: ParsedReadings = { accepted: [], rejected: [] };
  list.forEach((item: unknown, index) => {
    const claim = otherDeviceClaim(item, topicDeviceId);
    if (claim) {
      result.rejected.push({ index, code: "device_mismatch", reason: claim });
      return;
    }
    const reading = parseReading(item, now);
    if (isValidReading(reading)) result.accepted.push(reading);
    else result.rejected.push({ index, ...reading });
  });
  return result;
}

export type ParsedStatus =
  | { kind: "status"; online: boolean }
  /** A zero-length payload: someone cleared the retained status. Nothing to store. */
  | { kind: "cleared" }
  | { kind: "rejected"; code: RejectionCode; reason: string };

const ZStatusSchema = z.looseObject({ online: z.boolean() });

/** `{"online": true|false}` on .../status (retained; also the device's last will). */
export function parseStatusPayload(bytes: Buffer, topicDeviceId?: string): ParsedStatus {
  if (bytes.length === 0) return { kind: "cleared" };
  const decoded = decodeBoundedJson(bytes);
  const rule = 'status payload must be JSON {"online": true} or {"online": false}';
  if (!decoded.ok) return { kind: "rejected", code: "invalid_status", reason: `${decoded.problem}; ${rule}` };
  const claimed = otherDeviceClaim(decoded.value, topicDeviceId);
  if (claimed) return { kind: "rejected", code: "device_mismatch", reason: claimed };
  const parsed = ZStatusSchema.safeParse(decoded.value);
  if (!parsed.success)
    return { kind: "rejected", code: "invalid_status", reason: `${rule}; got ${show(decoded.value)}` };
  return { kind: "status", online: parsed.data.online };
}
