import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeBoundedJson,
  MAX_JSON_ARRAY_ITEMS,
  MAX_JSON_DEPTH,
  MAX_JSON_NUMBER_CHARS,
  MAX_JSON_OBJECT_KEYS,
  MAX_JSON_STRING_BYTES,
  MAX_PAYLOAD_BYTES,
  preview,
  printable,
} from "./bounded-json";

const decode = (text: string | Buffer) => decodeBoundedJson(typeof text === "string" ? Buffer.from(text) : text);
const codeOf = (text: string | Buffer) => {
  const decoded = decode(text);
  return decoded.ok ? "ok" : decoded.code;
};
const nested = (levels: number, open = "[", close = "]") => `${open.repeat(levels)}${close.repeat(levels)}`;
const objectWithKeys = (count: number) => `{${Array.from({ length: count }, (_, i) => `"k${i}":${i}`).join(",")}}`;

describe("the limits, each at its edge", () => {
  it("nesting: 8 levels pass, 9 and 100,000 are refused without walking them", () => {
    expect(codeOf(nested(MAX_JSON_DEPTH))).toBe("ok");
    expect(codeOf(nested(MAX_JSON_DEPTH + 1))).toBe("nesting_too_deep");
    expect(codeOf(nested(MAX_JSON_DEPTH + 1, '{"a":', "}"))).toBe("nesting_too_deep");
    // The payload of the incident: JSON.parse takes it, anything recursive after it overflows.
    expect(codeOf(nested(100_000))).toBe("nesting_too_deep");
    expect(codeOf(`{"readings":[${"[".repeat(100_000)}`)).toBe("nesting_too_deep");
  });

  it("arrays: 1000 entries pass, 1001 are refused (a readings batch as batch_too_large)", () => {
    const items = (n: number) => `[${Array(n).fill("0").join(",")}]`;
    expect(codeOf(items(MAX_JSON_ARRAY_ITEMS))).toBe("ok");
    expect(codeOf(items(MAX_JSON_ARRAY_ITEMS + 1))).toBe("array_too_long");
    expect(codeOf(`{"x":${items(MAX_JSON_ARRAY_ITEMS + 1)}}`)).toBe("array_too_long");
    expect(codeOf(`{"readings":${items(MAX_JSON_ARRAY_ITEMS + 1)}}`)).toBe("batch_too_large");
    // Only the top-level "readings" is the batch.
    expect(codeOf(`{"a":{"readings":${items(MAX_JSON_ARRAY_ITEMS + 1)}}}`)).toBe("array_too_long");
    expect(codeOf(`[[],[],{},""]`)).toBe("ok");
  });

  it("strings and keys: 1024 bytes as written pass, 1025 are refused", () => {
    expect(codeOf(`{"fw":"${"x".repeat(MAX_JSON_STRING_BYTES)}"}`)).toBe("ok");
    expect(codeOf(`{"fw":"${"x".repeat(MAX_JSON_STRING_BYTES + 1)}"}`)).toBe("string_too_long");
    expect(codeOf(`{"${"k".repeat(MAX_JSON_STRING_BYTES + 1)}":1}`)).toBe("string_too_long");
    // Multi-byte characters count as their bytes: 512 × 2 bytes pass, one more is too long.
    expect(codeOf(`"${"é".repeat(512)}"`)).toBe("ok");
    expect(codeOf(`"${"é".repeat(512)}x"`)).toBe("string_too_long");
  });

  it("keys: 64 per object pass, 65 are refused; the same key in two objects is fine", () => {
    expect(codeOf(objectWithKeys(MAX_JSON_OBJECT_KEYS))).toBe("ok");
    expect(codeOf(objectWithKeys(MAX_JSON_OBJECT_KEYS + 1))).toBe("too_many_keys");
    expect(codeOf(`[${Array(20).fill(objectWithKeys(MAX_JSON_OBJECT_KEYS)).join(",")}]`)).toBe("ok");
    expect(codeOf('{"a":{"ts":1},"b":{"ts":2},"ts":3}')).toBe("ok");
  });

  it("numbers: 64 characters and the double range pass; longer or beyond are refused", () => {
    expect(codeOf(`[${"1".repeat(MAX_JSON_NUMBER_CHARS)}]`)).toBe("ok");
    expect(codeOf(`[${"1".repeat(MAX_JSON_NUMBER_CHARS + 1)}]`)).toBe("number_out_of_range");
    expect(codeOf(`[0.${"1".repeat(400)}]`)).toBe("number_out_of_range");
    expect(codeOf("[1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 1e-400]")).toBe("ok");
    for (const big of ["1e309", "-1e400", "1E999", "2e308", "0.1e310"]) {
      expect(codeOf(`{"tempC":${big}}`), big).toBe("number_out_of_range");
    }
  });

  it("duplicate keys are refused, also when one is written with escapes", () => {
    expect(codeOf('{"ts":1,"tempC":4,"ts":2}')).toBe("duplicate_key");
    expect(codeOf('{"ts":1,"t\\u0073":2}')).toBe("duplicate_key");
    expect(codeOf('{"readings":[{"tempC":1,"tempC":2}]}')).toBe("duplicate_key");
    expect(codeOf('{"a":1,"b":{"a":1}}')).toBe("ok");
  });

  it("__proto__, constructor and prototype keys are refused, however they are written", () => {
    for (const key of ["__proto__", "constructor", "prototype", "\\u005f_proto__", "construct\\u006fr"]) {
      expect(codeOf(`{"ts":1,"${key}":{"polluted":true}}`), key).toBe("reserved_key");
      expect(codeOf(`{"readings":[{"${key}":1}]}`), key).toBe("reserved_key");
    }
    // As values they are just text.
    expect(codeOf('{"fw":"__proto__"}')).toBe("ok");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("encoding: a byte-order mark, NUL (raw or escaped) and invalid UTF-8 are refused", () => {
    const reading = Buffer.from('{"ts":1,"tempC":4}');
    expect(codeOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), reading]))).toBe("invalid_encoding");
    expect(codeOf(Buffer.concat([reading, Buffer.from([0])]))).toBe("invalid_encoding");
    expect(codeOf('{"fw":"a\\u0000b"}')).toBe("invalid_encoding");
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const bytes = Buffer.concat([Buffer.from('{"fw":"'), Buffer.from(bad), Buffer.from('"}')]);
      expect(codeOf(bytes), bad.join(",")).toBe("invalid_encoding");
    }
    // A UTF-16 byte-order mark is not UTF-8 either.
    expect(codeOf(Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]))).toBe("invalid_encoding");
    expect(codeOf('{"fw":"\\u0001 é 漢 😀"}')).toBe("ok");
  });

  it("size: up to 256 KiB is read, one byte more is refused before anything else", () => {
    const atLimit = `"${"x".repeat(MAX_PAYLOAD_BYTES - 2)}"`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_PAYLOAD_BYTES);
    expect(codeOf(atLimit)).toBe("string_too_long");
    const spaces = `${" ".repeat(MAX_PAYLOAD_BYTES - 2)}{}`;
    expect(codeOf(spaces)).toBe("ok");
    expect(codeOf(`${spaces} `)).toBe("payload_too_large");
  });

  it("leaves grammar to JSON.parse", () => {
    for (const text of ["", "{", "}", "]]]", '{"a" 1}', '"unterminated', "[1,]", "{ts: 1}", "NaN", "\\"]) {
      expect(codeOf(text), text).toBe("invalid_json");
    }
  });
});

describe("decodeBoundedJson", () => {
  it("never throws, and whatever it accepts is exactly what JSON.parse makes of the text", () => {
    const texts = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue({ maxDepth: 12 }).map((value) => Buffer.from(JSON.stringify(value) ?? "null")),
      fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text)),
    );
    fc.assert(
      fc.property(texts, (bytes) => {
        const decoded = decodeBoundedJson(bytes);
        if (decoded.ok) expect(decoded.value).toEqual(JSON.parse(bytes.toString("utf8")));
        else expect(decoded.problem.length).toBeGreaterThan(10);
      }),
      { numRuns: 1500 },
    );
  }, 60_000);

  it("accepts every JSON value within the limits", () => {
    const key = fc
      .string({ maxLength: 20 })
      .filter((text) => !["__proto__", "constructor", "prototype"].includes(text));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.oneof(fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true })),
        fc.string({ maxLength: 50 }).filter((text) => !text.includes("\u0000")),
        fc.array(tie("node"), { maxLength: 5 }),
        fc.dictionary(key, tie("node"), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (input) => {
        const text = JSON.stringify(input);
        const depth = (item: unknown): number =>
          typeof item === "object" && item !== null ? 1 + Math.max(0, ...Object.values(item).map(depth)) : 0;
        fc.pre(depth(input) <= MAX_JSON_DEPTH);
        expect(decode(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe("printable", () => {
  it("turns control, format and lone surrogate characters into visible ones and bounds the length", () => {
    expect(printable("a\tb\nc\rd", 100)).toBe("a b c d");
    expect(printable("nul\u0000 esc\u001b del\u007f c1\u0085 rtl\u202e bom\ufeff ls\u2028", 100)).toBe(
      "nul\ufffd esc\ufffd del\ufffd c1\ufffd rtl\ufffd bom\ufffd ls\ufffd",
    );
    expect(printable("lone \ud800 and \udc00", 100)).toBe("lone \ufffd and \ufffd");
    expect(printable("é 漢 😀 ok", 100)).toBe("é 漢 😀 ok");
    expect(printable("x".repeat(5000), 2000)).toHaveLength(2000);
    // A cut never leaves half a surrogate pair behind.
    expect(printable(`${"x".repeat(1998)}😀😀`, 2000)).toBe(`${"x".repeat(1998)}…`);
  });

  it("always yields well-formed text within the bound", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const result = printable(text, max);
        expect(result.length).toBeLessThanOrEqual(max);
        expect(result).not.toMatch(/[\p{Cc}\p{Cs}]/u);
        expect(Buffer.from(result, "utf8").toString("utf8")).toBe(result);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe("preview", () => {
  it("shows as much JSON as the budget allows, whatever the size or depth of the value", () => {
    expect(preview({ ts: 1, tempC: "x", list: [1, null, true] }, 100)).toBe(
      '{"ts":1,"tempC":"x","list":[1,null,true]}',
    );
    expect(preview(-0, 10)).toBe("0");
    let deep: unknown = [];
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(preview(deep, 60).length).toBeLessThan(200);
    expect(preview(Array(1_000_000).fill("abc"), 60).length).toBeLessThan(200);
    expect(preview("x".repeat(1_000_000), 60).length).toBeLessThan(70);
    expect(preview(10n, 60)).toBe("bigint");
  });
});
