/**
 * Device bytes → a JSON value, with every amount of work bounded before `JSON.parse` runs
 * (docs/sensor-protocol.md, "Limits"). `JSON.parse` itself copes with any nesting, but what
 * comes after it — zod, the reason text, the dead-letter row — walks the value recursively, so
 * a document 100,000 levels deep must never get that far. One linear pass over the text checks
 * nesting, array lengths, string and number lengths, keys per object, duplicate and reserved
 * keys and numbers beyond double range; nothing here throws, whatever the bytes.
 */

/** Matches max_packet_size in config/mosquitto/rantai.conf; the broker normally enforces it first. */
export const MAX_PAYLOAD_BYTES = 262_144;
/** Objects and arrays inside each other; `{"readings": [{…}]}` needs 3. */
export const MAX_JSON_DEPTH = 8;
/** Entries of any array; equal to the batch limit, so `readings` never needs a bigger one. */
export const MAX_JSON_ARRAY_ITEMS = 1000;
/** Members of any object; a reading has 2 to 5, firmware may add a few. */
export const MAX_JSON_OBJECT_KEYS = 64;
/** Bytes of a string (or key) as written, escapes included. */
export const MAX_JSON_STRING_BYTES = 1024;
/** Characters of a number as written. */
export const MAX_JSON_NUMBER_CHARS = 64;
/** Keys that reach object prototypes in JavaScript; a payload never needs them. */
export const RESERVED_JSON_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

export type JsonProblemCode =
  | "payload_too_large"
  | "invalid_encoding"
  | "invalid_json"
  | "nesting_too_deep"
  | "batch_too_large"
  | "array_too_long"
  | "string_too_long"
  | "too_many_keys"
  | "number_out_of_range"
  | "duplicate_key"
  | "reserved_key";

export interface JsonProblem {
  code: JsonProblemCode;
  /** What is wrong, without the fix (the caller knows the channel and adds it). */
  problem: string;
}

export type DecodedJson = { ok: true; value: unknown } | ({ ok: false } & JsonProblem);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes → JSON value, or the first limit or rule the bytes break. Never throws. */
export function decodeBoundedJson(bytes: Uint8Array): DecodedJson {
  if (bytes.length > MAX_PAYLOAD_BYTES) {
    return fail("payload_too_large", `payload is ${bytes.length} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return fail("invalid_encoding", "payload starts with a byte-order mark (EF BB BF); send UTF-8 without it");
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fail("invalid_encoding", `payload contains a NUL byte at offset ${nul}`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail("invalid_encoding", "payload is not UTF-8 text");
  }
  const problem = scanJson(bytes);
  if (problem) return { ok: false, ...problem };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return fail("invalid_json", `payload is not valid JSON (${printable(detail, 200)})`);
  }
}

function fail(code: JsonProblemCode, problem: string): { ok: false } & JsonProblem {
  return { ok: false, code, problem };
}

const OBJECT = 1;
const ARRAY = 2;
/** "readings" in UTF-8. */
const READINGS_KEY = [0x72, 0x65, 0x61, 0x64, 0x69, 0x6e, 0x67, 0x73];
/** Keys of all open objects at once: at most MAX_JSON_OBJECT_KEYS on each level. */
const KEY_SLOTS = MAX_JSON_DEPTH * MAX_JSON_OBJECT_KEYS;

// What a byte means outside strings. UTF-8 continuation and lead bytes are >= 0x80 and never
// look like JSON's ASCII punctuation, so the structure can be read from the bytes directly.
const SKIP = 0;
const QUOTE = 1;
const OPEN = 2;
const CLOSE = 3;
const COMMA = 4;
const NUMBER = 5;
const COLON = 6;
const WORD = 7;
const BYTE_CLASS = new Uint8Array(256).fill(WORD);
for (const byte of [0x20, 0x09, 0x0a, 0x0d]) BYTE_CLASS[byte] = SKIP;
BYTE_CLASS[0x22] = QUOTE;
BYTE_CLASS[0x7b] = OPEN;
BYTE_CLASS[0x5b] = OPEN;
BYTE_CLASS[0x7d] = CLOSE;
BYTE_CLASS[0x5d] = CLOSE;
BYTE_CLASS[0x2c] = COMMA;
BYTE_CLASS[0x3a] = COLON;
BYTE_CLASS[0x2d] = NUMBER;
for (let digit = 0x30; digit <= 0x39; digit += 1) BYTE_CLASS[digit] = NUMBER;

// Scratch space of scanJson, reused: the scan is synchronous and allocates nothing per call.
const kinds = new Uint8Array(MAX_JSON_DEPTH + 1);
/** Per open container: array — commas seen; object — keys seen. */
const counts = new Uint32Array(MAX_JSON_DEPTH + 1);
/** Per open object: where its keys start in keyStarts/keyEnds. */
const keysFrom = new Uint32Array(MAX_JSON_DEPTH + 1);
const keyStarts = new Uint32Array(KEY_SLOTS);
const keyEnds = new Uint32Array(KEY_SLOTS);
/** Per key slot: 1 when the key is written with escapes (then compared decoded). */
const keyEscaped = new Uint8Array(KEY_SLOTS);

/**
 * The limits of JSON text (UTF-8 bytes), checked in one pass without building anything: the
 * structure only, grammar is left to `JSON.parse`, which runs only if this passes. Returns the
 * first limit broken, or null. Work is linear in the bytes (a key is compared only with the
 * earlier keys of its object, at most MAX_JSON_OBJECT_KEYS), memory fixed by MAX_JSON_DEPTH.
 */
export function scanJson(bytes: Uint8Array): JsonProblem | null {
  const length = bytes.length;
  let depth = 0;
  let keyCount = 0;
  let expectKey = false;
  /** The value about to start is the top-level object's "readings". */
  let readingsNext = false;
  let readingsDepth = -1;

  for (let i = 0; i < length; i += 1) {
    const kind = BYTE_CLASS[bytes[i] as number];
    if (kind === SKIP) continue;
    if (kind === QUOTE) {
      // A string: find its closing quote, stepping over escaped characters.
      const start = i + 1;
      let end = start;
      let escaped = false;
      for (; end < length; end += 1) {
        const byte = bytes[end];
        if (byte === 0x22) break;
        if (byte === 0x5c) {
          escaped = true;
          if (bytes[end + 1] === 0x75 && isNulEscape(bytes, end + 2)) {
            return { code: "invalid_encoding", problem: "payload contains a NUL character (\\u0000) in a string" };
          }
          end += 1;
        }
      }
      if (end >= length) return null; // unterminated: JSON.parse reports it
      if (end - start > MAX_JSON_STRING_BYTES) {
        return {
          code: "string_too_long",
          problem: `a string is ${end - start} bytes long; the limit is ${MAX_JSON_STRING_BYTES}`,
        };
      }
      i = end;
      if (expectKey && kinds[depth] === OBJECT) {
        expectKey = false;
        const problem = checkKey(bytes, start, end, escaped, depth, keyCount);
        if (problem) return problem;
        keyStarts[keyCount] = start;
        keyEnds[keyCount] = end;
        keyEscaped[keyCount] = escaped ? 1 : 0;
        keyCount += 1;
        readingsNext = depth === 1 && isKey(bytes, start, end, escaped, READINGS_KEY, "readings");
      } else {
        readingsNext = false;
      }
      continue;
    }
    if (kind === NUMBER) {
      // A number: its characters, then its size.
      let end = i + 1;
      let exponent = false;
      for (; end < length; end += 1) {
        const byte = bytes[end] as number;
        if (BYTE_CLASS[byte] === NUMBER || byte === 0x2e || byte === 0x2b) continue;
        if (byte === 0x65 || byte === 0x45) exponent = true;
        else break;
      }
      if (end - i > MAX_JSON_NUMBER_CHARS) {
        return {
          code: "number_out_of_range",
          problem: `a number is written with ${end - i} characters; the limit is ${MAX_JSON_NUMBER_CHARS}`,
        };
      }
      // Without an exponent, 64 digits stay far inside double range. NaN (bad grammar) is left
      // to JSON.parse.
      if (exponent) {
        const written = String.fromCharCode(...bytes.subarray(i, end));
        if (Math.abs(Number(written)) === Number.POSITIVE_INFINITY) {
          return {
            code: "number_out_of_range",
            problem: `the number ${written} is beyond the range of a double (about ±1.8e308)`,
          };
        }
      }
      readingsNext = false;
      i = end - 1;
      continue;
    }
    if (kind === COMMA) {
      if (depth === 0) return null;
      if (kinds[depth] === OBJECT) {
        expectKey = true;
        continue;
      }
      const commas = (counts[depth] ?? 0) + 1;
      counts[depth] = commas;
      if (commas >= MAX_JSON_ARRAY_ITEMS) {
        return readingsDepth === depth
          ? {
              code: "batch_too_large",
              problem: `"readings" has more than ${MAX_JSON_ARRAY_ITEMS} readings; the limit is ${MAX_JSON_ARRAY_ITEMS} per message`,
            }
          : {
              code: "array_too_long",
              problem: `an array has more than ${MAX_JSON_ARRAY_ITEMS} entries; the limit is ${MAX_JSON_ARRAY_ITEMS}`,
            };
      }
      continue;
    }
    if (kind === OPEN) {
      if (depth === MAX_JSON_DEPTH) {
        return {
          code: "nesting_too_deep",
          problem: `objects and arrays are nested more than ${MAX_JSON_DEPTH} levels deep`,
        };
      }
      const object = bytes[i] === 0x7b;
      depth += 1;
      kinds[depth] = object ? OBJECT : ARRAY;
      counts[depth] = 0;
      keysFrom[depth] = keyCount;
      expectKey = object;
      if (!object && readingsNext && depth === 2) readingsDepth = 2;
      readingsNext = false;
      continue;
    }
    if (kind === CLOSE) {
      if (depth === 0) return null; // unbalanced: JSON.parse reports it
      keyCount = keysFrom[depth] ?? 0;
      if (readingsDepth === depth) readingsDepth = -1;
      depth -= 1;
      expectKey = false;
      readingsNext = false;
      continue;
    }
    // A colon keeps readingsNext for the value after it; true, false, null (or junk) end it.
    if (kind === WORD) readingsNext = false;
  }
  return null;
}

/** `\u0000` (any case of hex digits) starting at the 4 hex digits. */
function isNulEscape(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x30 && bytes[at + 1] === 0x30 && bytes[at + 2] === 0x30 && bytes[at + 3] === 0x30;
}

/** Whether the key at start..end is `name` (whose UTF-8 bytes are `nameBytes`). */
function isKey(
  bytes: Uint8Array,
  start: number,
  end: number,
  escaped: boolean,
  nameBytes: readonly number[],
  name: string,
): boolean {
  if (escaped) return keyText(bytes, start, end, true) === name;
  if (end - start !== nameBytes.length) return false;
  for (let i = 0; i < nameBytes.length; i += 1) if (bytes[start + i] !== nameBytes[i]) return false;
  return true;
}

/**
 * Counts a key of the innermost object (keys of open objects sit in keyStarts/keyEnds below
 * `keyCount`), refuses reserved and repeated ones. A plain function, not a closure, so the
 * scan's loop variables stay in registers.
 */
function checkKey(
  bytes: Uint8Array,
  start: number,
  end: number,
  escaped: boolean,
  depth: number,
  keyCount: number,
): JsonProblem | null {
  const keys = (counts[depth] ?? 0) + 1;
  counts[depth] = keys;
  if (keys > MAX_JSON_OBJECT_KEYS) {
    return {
      code: "too_many_keys",
      problem: `an object has more than ${MAX_JSON_OBJECT_KEYS} keys; the limit is ${MAX_JSON_OBJECT_KEYS}`,
    };
  }
  const size = end - start;
  // Reserved keys are 9 or 11 bytes long; only those (or escaped keys) are looked at.
  if (escaped || size === 9 || size === 11) {
    const name = keyText(bytes, start, end, escaped);
    if (RESERVED_JSON_KEYS.includes(name)) {
      return { code: "reserved_key", problem: `the key "${name}" is not allowed (it is reserved in JavaScript)` };
    }
  }
  for (let k = keysFrom[depth] ?? 0; k < keyCount; k += 1) {
    const otherStart = keyStarts[k] ?? 0;
    const otherEnd = keyEnds[k] ?? 0;
    const otherEscaped = keyEscaped[k] === 1;
    const same =
      escaped || otherEscaped
        ? keyText(bytes, start, end, escaped) === keyText(bytes, otherStart, otherEnd, otherEscaped)
        : otherEnd - otherStart === size && sameBytes(bytes, start, otherStart, size);
    if (same) {
      const name = printable(JSON.stringify(keyText(bytes, start, end, escaped)), 80);
      return { code: "duplicate_key", problem: `the key ${name} appears twice in one object` };
    }
  }
  return null;
}

function sameBytes(bytes: Uint8Array, a: number, b: number, size: number): boolean {
  for (let i = 0; i < size; i += 1) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** A key's value as JSON.parse will see it (escapes resolved); as written if the escapes are broken. */
function keyText(bytes: Uint8Array, start: number, end: number, escaped: boolean): string {
  const raw = lenientUtf8.decode(bytes.subarray(start, end));
  if (!escaped) return raw;
  try {
    const value: unknown = JSON.parse(`"${raw}"`);
    return typeof value === "string" ? value : raw;
  } catch {
    return raw;
  }
}

/** Characters that must not reach a reason, a log line or a screen as they are. */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/gu;

/**
 * Text safe to store and show: tabs and line breaks become spaces, other control, format and
 * bidirectional characters and lone surrogates become U+FFFD, and the result has at most `max`
 * UTF-16 code units (so at most `max` characters in a VARCHAR), ending in "…" when cut.
 */
export function printable(text: string, max: number): string {
  const clean = text.replace(UNPRINTABLE, (char) => (char === "\t" || char === "\n" || char === "\r" ? " " : "\ufffd"));
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, Math.max(0, max - 1));
  // Never end on half a surrogate pair.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * A value as JSON text, cut after about `budget` characters. Unlike JSON.stringify it stops
 * early, so it costs the same for a 3-byte value and a 256 KiB one; recursion is bounded by
 * the budget, since every level writes at least one character. Never throws.
 */
export function preview(value: unknown, budget: number): string {
  const out: string[] = [];
  let used = 0;
  const emit = (part: string) => {
    out.push(part);
    used += part.length;
  };
  const walk = (item: unknown): void => {
    if (used >= budget) return;
    if (item === null || typeof item === "boolean") emit(String(item));
    else if (typeof item === "number") emit(Number.isFinite(item) ? String(item + 0) : "null");
    else if (typeof item === "string") emit(JSON.stringify(item.slice(0, budget - used + 1)));
    else if (Array.isArray(item)) {
      emit("[");
      for (let i = 0; i < item.length && used < budget; i += 1) {
        if (i > 0) emit(",");
        walk(item[i]);
      }
      emit("]");
    } else if (typeof item === "object") {
      emit("{");
      let first = true;
      for (const key in item) {
        if (used >= budget) break;
        if (!Object.hasOwn(item, key)) continue;
        if (!first) emit(",");
        first = false;
        emit(`${JSON.stringify(key.slice(0, budget))}:`);
        walk((item as Record<string, unknown>)[key]);
      }
      emit("}");
    } else emit(typeof item);
  };
  try {
    walk(value);
  } catch {
    return "(a value that cannot be shown)";
  }
  return out.join("");
}
