import {
  MAX_JSON_ARRAY_ITEMS,
  MAX_JSON_DEPTH,
  MAX_JSON_NUMBER_CHARS,
  MAX_JSON_OBJECT_KEYS,
  MAX_JSON_STRING_BYTES,
  readingsTopic,
  statusTopic,
} from "@rantai/core/coldchain/sensor-protocol";
import fc from "fast-check";

/**
 * Generated hostile payloads for the barrage test: each kind the sensor protocol's limits and
 * rules exist for, plus random bytes and random JSON. Deterministic (a fixed seed), so a failure
 * can be replayed. Every payload says what must become of it: a stored reading (only the kind
 * that is a valid reading with odd but allowed extras, each with a ts of its own) or a dead letter.
 */
export interface HostilePayload {
  kind: string;
  topic: string;
  payload: Buffer;
  expect: "stored" | "dead_letter";
  /** The registered device the payload is published as, when it may be stored. */
  deviceId: string;
  /** Epoch ms of the reading it stores (kind "valid_with_odd_extras"). */
  ts?: number;
}

type Make = (n: number, ts: number) => string | Buffer;

const text = (value: string) => Buffer.from(value);
const deep = (levels: number, open: string, close: string, inner = "1") =>
  `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
const list = (count: number, item: string) => Array(count).fill(item).join(",");
const reading = (ts: number, extra = "") => `{"ts":${ts},"tempC":4.5${extra}}`;

/** Values of the wrong type (or range) for each field; none is acceptable. */
const WRONG: Record<string, string[]> = {
  ts: [
    "true",
    "null",
    "{}",
    "[]",
    '"yesterday"',
    "1.5",
    "-1",
    "1738280000",
    '"2025-13-01T00:00:00Z"',
    '"2025-01-31T08:15:00"',
  ],
  tempC: ["true", "null", "{}", "[]", '"4.5"', "-90.01", "70.01", "1e300", '""', "[4.5]"],
  batteryPct: ["true", "{}", "[]", '"87"', "-1", "100.5", "1e10", '"full"'],
  seq: ["true", "{}", "[]", '"1"', "-1", "1.5", "4294967296", "1e20"],
};

/** Bytes that are not UTF-8: a stray continuation, overlong forms, surrogates, cut sequences, 0xFF. */
const NOT_UTF8 = [
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
  [0xff],
  [0xfe, 0xff],
];

const KINDS: [string, Make][] = [
  // Every 500th is the incident's payload: a bare array 100,000 levels deep (200 KB), which
  // JSON.parse accepts and describing it in the reason used to overflow the stack.
  [
    "deep_arrays",
    (n) =>
      n % 500 === 0
        ? deep(100_000, "[", "]", "")
        : `{"n":${n},"x":${deep([MAX_JSON_DEPTH, 50, 1000][n % 3] ?? 9, "[", "]")}}`,
  ],
  ["deep_objects", (n) => `{"n":${n},"x":${deep([MAX_JSON_DEPTH, 64, 300][n % 3] ?? 9, '{"a":', "}")}}`],
  ["deep_readings", (n, ts) => `{"readings":[${deep(MAX_JSON_DEPTH + (n % 20), "[", "]", reading(ts))}]}`],
  // Every 200th has 100,000 entries (200 KB); the rest are just past the limit.
  [
    "huge_arrays",
    (n) => `{"n":${n},"x":[${list(n % 200 === 0 ? 100_000 : MAX_JSON_ARRAY_ITEMS + 1 + (n % 20), "0")}]}`,
  ],
  [
    "huge_batches",
    (n, ts) =>
      `{"readings":[${n % 50 === 0 ? list(MAX_JSON_ARRAY_ITEMS + 1, reading(ts)) : list(MAX_JSON_ARRAY_ITEMS + 1 + (n % 20), "0")}]}`,
  ],
  [
    "empty_arrays",
    (n) => [`{"readings":[],"n":${n}}`, `[${n}]`, `{"n":${n},"readings":[[],[],{}]}`, `[[],[],[${n}]]`][n % 4] ?? "",
  ],
  [
    "long_strings",
    (n, ts) => reading(ts, `,"fw":"${"x".repeat(n % 200 === 0 ? 200_000 : MAX_JSON_STRING_BYTES + 1 + (n % 100))}"`),
  ],
  ["long_keys", (n, ts) => reading(ts, `,"${"k".repeat(MAX_JSON_STRING_BYTES + 1 + (n % 100))}":1`)],
  [
    "many_keys",
    (n, ts) =>
      `{"ts":${ts},"tempC":4,${Array.from({ length: MAX_JSON_OBJECT_KEYS + (n % 50) }, (_, i) => `"k${i}":${i}`).join(",")}}`,
  ],
  [
    "big_numbers",
    (n, ts) =>
      `{"ts":${ts},"tempC":${["1e309", "-1e400", "1E99999", "2e308", `1${"0".repeat(400)}`, `0.${"1".repeat(MAX_JSON_NUMBER_CHARS)}`][n % 6]}}`,
  ],
  [
    "reserved_keys",
    (n, ts) => {
      const key = ["__proto__", "constructor", "prototype", "\\u005f_proto__", "construct\\u006fr"][n % 5];
      return n % 2 === 0
        ? reading(ts, `,"${key}":{"tempC":99}`)
        : `{"readings":[${reading(ts, `,"${key}":{"polluted":true}`)}]}`;
    },
  ],
  [
    "duplicate_keys",
    (n, ts) =>
      [
        `{"ts":${ts},"tempC":4,"tempC":99}`,
        `{"ts":${ts},"t\\u0073":${ts + 1},"tempC":4}`,
        `{"readings":[{"ts":${ts},"ts":${ts},"tempC":4}]}`,
      ][n % 3] ?? "",
  ],
  [
    "invalid_utf8",
    (n, ts) =>
      Buffer.concat([
        text(`{"ts":${ts},"tempC":4,"fw":"`),
        Buffer.from(NOT_UTF8[n % NOT_UTF8.length] ?? [0xff]),
        text('"}'),
      ]),
  ],
  [
    "byte_order_mark",
    (n, ts) => Buffer.concat([Buffer.from(n % 2 === 0 ? [0xef, 0xbb, 0xbf] : [0xfe, 0xff]), text(reading(ts))]),
  ],
  [
    "nul",
    (n, ts) =>
      n % 2 === 0 ? Buffer.concat([text(reading(ts)), Buffer.from([0])]) : text(reading(ts, ',"fw":"a\\u0000b"')),
  ],
  [
    "wrong_types",
    (n, ts) => {
      const fields = Object.keys(WRONG);
      const field = fields[n % fields.length] ?? "ts";
      const values = WRONG[field] ?? ["true"];
      const value = values[Math.floor(n / fields.length) % values.length];
      const fieldsOf: Record<string, string> = { ts: String(ts), tempC: "4.5", batteryPct: "80", seq: "1" };
      fieldsOf[field] = value ?? "true";
      const body = Object.entries(fieldsOf)
        .map(([key, item]) => `"${key}":${item}`)
        .join(",");
      return n % 3 === 0 ? `{"readings":[{${body}}]}` : `{${body}}`;
    },
  ],
  [
    "wrong_envelopes",
    (n, ts) =>
      [
        `{"readings":${reading(ts)}}`,
        `{"readings":"${ts}"}`,
        `{"readings":null}`,
        `"${ts}"`,
        `${ts}`,
        "null",
        "true",
        `{"deviceId":"OTHER-${n}","ts":${ts},"tempC":4}`,
        `{"deviceId":${n},"ts":${ts},"tempC":4}`,
      ][n % 9] ?? "",
  ],
  ["ambiguous", (n, ts) => `{"ts":${ts},"tempC":4,"readings":[${reading(ts + 1)}],"n":${n}}`],
  [
    "not_json",
    (n, ts) =>
      [
        `{ts:${ts},tempC:4}`,
        `{"ts":${ts},"tempC":NaN}`,
        `{"ts":${ts},"tempC":Infinity}`,
        `{"ts":${ts},"tempC":4,}`,
        `{"ts":${ts}`,
        `'${n}'`,
      ][n % 6] ?? "",
  ],
];

/** Valid readings whose unknown fields are odd but within every limit: these must be stored. */
const oddExtras = (n: number, ts: number) =>
  reading(
    ts,
    `,"fw":"\\u202e\\u0001 é 漢 😀 ${n}","nested":${deep(MAX_JSON_DEPTH - 2, "[", "]", "[]")},"empty":{},"big":1e308`,
  );

export interface BarrageOptions {
  count: number;
  /** Registered device ids (readings and status topics). */
  devices: readonly string[];
  /** Every ts is `firstTs + n` for the n-th payload: unique, inside the accepted window. */
  firstTs: number;
  seed?: number;
}

/**
 * `count` payloads spread over the devices: every 10th a valid reading with odd extras, every
 * 20th random bytes and every 20th random JSON, the rest the hostile kinds in turn. Every 40th
 * goes to a device's status topic, every 97th to an unregistered device, every 101st to a topic
 * with an invalid device id; those are dead letters whatever the payload.
 */
export function generateBarrage({ count, devices, firstTs, seed = 20_260_101 }: BarrageOptions): HostilePayload[] {
  const randomBytes = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 600 }), {
    numRuns: Math.ceil(count / 20) + 1,
    seed,
  });
  const randomJson = fc.sample(fc.jsonValue({ maxDepth: 12 }), { numRuns: Math.ceil(count / 20) + 1, seed: seed + 1 });
  const payloads: HostilePayload[] = [];
  let hostile = 0;
  for (let n = 0; n < count; n += 1) {
    const ts = firstTs + n;
    const deviceId = devices[n % devices.length] ?? "";
    let kind: string;
    let bytes: Buffer;
    if (n % 10 === 0) {
      kind = "valid_with_odd_extras";
      bytes = text(oddExtras(n, ts));
    } else if (n % 20 === 5) {
      kind = "random_bytes";
      bytes = Buffer.from(randomBytes[Math.floor(n / 20)] ?? [0xff]);
    } else if (n % 20 === 15) {
      kind = "random_json";
      bytes = text(JSON.stringify(randomJson[Math.floor(n / 20)] ?? null) ?? "null");
    } else {
      const [name, make] = KINDS[hostile % KINDS.length] ?? ["not_json", () => "{"];
      hostile += 1;
      kind = name;
      const made = make(Math.floor(hostile / KINDS.length), ts);
      bytes = typeof made === "string" ? text(made) : made;
    }
    let topic = readingsTopic(deviceId);
    let expect: HostilePayload["expect"] = kind === "valid_with_odd_extras" ? "stored" : "dead_letter";
    if (n % 101 === 7) topic = `coldchain/v1/sensors/bad id ${n}!/readings`;
    else if (n % 97 === 3) topic = readingsTopic(`RTS-UNREGISTERED-${n % 13}`);
    // An empty status payload only clears the retained status: nothing would be stored.
    else if (n % 40 === 9 && bytes.length > 0) topic = statusTopic(deviceId);
    if (topic !== readingsTopic(deviceId)) expect = "dead_letter";
    payloads.push({ kind, topic, payload: bytes, expect, deviceId, ...(expect === "stored" ? { ts } : {}) });
  }
  return payloads;
}
