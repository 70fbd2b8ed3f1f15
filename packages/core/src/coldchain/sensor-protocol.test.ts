import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_CLOCK_SKEW_MS,
  MAX_READING_AGE_MS,
  MAX_READINGS_PER_MESSAGE,
  MAX_SEQ,
  type ParsedReadings,
  parseIsoWithOffset,
  parseReadingFields,
  parseReadingsPayload,
  parseSensorTopic,
  parseStatusPayload,
  plainlyValidReading,
  rejectionCodes,
  ZReadingSchema,
} from "./sensor-protocol";

const now = new Date("2025-02-01T00:00:00.000Z");
const parse = (value: unknown) => parseReadingsPayload(Buffer.from(JSON.stringify(value)), now);
const parseText = (text: string) => parseReadingsPayload(Buffer.from(text), now);

describe("parseSensorTopic", () => {
  it("splits readings and status topics", () => {
    expect(parseSensorTopic("coldchain/v1/sensors/RTS-P340401-1/readings")).toEqual({
      deviceId: "RTS-P340401-1",
      channel: "readings",
    });
    expect(parseSensorTopic("coldchain/v1/sensors/RTS-P340401-1/status")).toEqual({
      deviceId: "RTS-P340401-1",
      channel: "status",
    });
  });

  it.each([
    "coldchain/v1/sensors/RTS-1",
    "coldchain/v1/sensors/RTS-1/readings/extra",
    "coldchain/v2/sensors/RTS-1/readings",
    "coldchain/v1/sensors//readings",
    "coldchain/v1/sensors/-leading-dash/readings",
    `coldchain/v1/sensors/${"x".repeat(65)}/readings`,
    "coldchain/v1/sensors/RTS 1/readings",
    "coldchain/v1/sensors/RTS-1/alarms",
  ])("rejects %s", (topic) => {
    expect(parseSensorTopic(topic)).toBeNull();
  });
});

describe("parseIsoWithOffset", () => {
  it("applies the offset and keeps milliseconds", () => {
    expect(parseIsoWithOffset("2025-01-31T08:15:00+07:00")).toBe(Date.parse("2025-01-31T01:15:00Z"));
    expect(parseIsoWithOffset("2025-01-31T08:15:00.123456+0700")).toBe(Date.parse("2025-01-31T01:15:00.123Z"));
    expect(parseIsoWithOffset("2025-01-31T01:15Z")).toBe(Date.parse("2025-01-31T01:15:00Z"));
    expect(parseIsoWithOffset("2025-01-31T01:15:00-03:30")).toBe(Date.parse("2025-01-31T04:45:00Z"));
  });

  it.each([
    "2025-01-31T08:15:00",
    "2025-02-29T00:00:00Z",
    "2025-13-01T00:00:00Z",
    "2025-01-31T24:00:00Z",
    "2025-01-31 08:15:00Z",
    "31/01/2025",
  ])("rejects %s (no offset or not a real time)", (text) => {
    expect(parseIsoWithOffset(text)).toBeNull();
  });
});

describe("parseReadingsPayload", () => {
  it("accepts a single reading and ignores unknown fields", () => {
    expect(
      parse({ ts: "2025-01-31T08:15:00+07:00", tempC: 4.56, batteryPct: 87, seq: 12, firmware: "2.1", rssi: -70 }),
    ).toEqual({
      accepted: [{ ts: new Date("2025-01-31T01:15:00Z"), tempCentiC: 456, batteryPct: 87, seq: 12 }],
      rejected: [],
    });
  });

  it("accepts epoch milliseconds and null optional fields", () => {
    expect(parse({ ts: now.getTime() - 1000, tempC: -20, batteryPct: null, seq: null }).accepted).toEqual([
      { ts: new Date(now.getTime() - 1000), tempCentiC: -2000, batteryPct: null, seq: null },
    ]);
  });

  it("keeps the good readings of a batch and rejects each bad one with its index", () => {
    const good = { ts: "2025-01-31T08:15:00+07:00", tempC: 5 };
    const result = parse({ readings: [good, { ...good, tempC: "abc" }, good, { ...good, tempC: 71 }] });
    expect(result.accepted).toHaveLength(2);
    expect(result.rejected).toEqual([
      {
        index: 1,
        code: "invalid_temp",
        reason: 'tempC must be a finite number between -90 and 70 (°C); got "abc"',
      },
      { index: 3, code: "temp_out_of_range", reason: "tempC must be a finite number between -90 and 70 (°C); got 71" },
    ]);
  });

  it.each<[string, string, string]>([
    ["not JSON", "{ts: 1}", "invalid_json"],
    ["not UTF-8", "\u00ff", "invalid_encoding"],
    ["NaN", '{"ts": 1738280000000, "tempC": NaN}', "invalid_json"],
    ["a list", "[]", "invalid_payload"],
    ["a string", '"4.5"', "invalid_payload"],
    ["readings not a list", '{"readings": {}}', "invalid_payload"],
    ["an empty batch", '{"readings": []}', "batch_empty"],
    ["a number beyond double range (1e400)", '{"ts": 1738280000000, "tempC": 1e400}', "number_out_of_range"],
    ["a duplicate key", '{"ts": 1738280000000, "tempC": 4, "tempC": 90}', "duplicate_key"],
    ["a __proto__ key", '{"ts": 1738280000000, "tempC": 4, "__proto__": {"tempC": 5}}', "reserved_key"],
    ["nesting 9 deep", '{"ts": 1738280000000, "tempC": 4, "x": [[[[[[[[1]]]]]]]]}', "nesting_too_deep"],
    ["tempC as a string", '{"ts": 1738280000000, "tempC": "4.5"}', "invalid_temp"],
    ["tempC below -90", '{"ts": 1738280000000, "tempC": -90.01}', "temp_out_of_range"],
    ["a missing ts", '{"tempC": 4}', "invalid_ts"],
    ["ts without offset", '{"ts": "2025-01-31T08:15:00", "tempC": 4}', "invalid_ts"],
    ["epoch seconds", '{"ts": 1738280000, "tempC": 4}', "invalid_ts"],
    ["battery above 100", '{"ts": 1738280000000, "tempC": 4, "batteryPct": 100.5}', "invalid_battery"],
    ["a fractional seq", '{"ts": 1738280000000, "tempC": 4, "seq": 1.5}', "invalid_seq"],
    ["a seq beyond INT UNSIGNED", `{"ts": 1738280000000, "tempC": 4, "seq": ${MAX_SEQ + 1}}`, "invalid_seq"],
  ])("rejects %s as a whole message", (_name, text, code) => {
    const bytes = text === "\u00ff" ? Buffer.from([0xff, 0xfe]) : Buffer.from(text);
    const result = parseReadingsPayload(bytes, now);
    expect(result.accepted).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ index: null, code });
  });

  it("refuses a document nested 100,000 levels deep without throwing (it used to overflow the stack)", () => {
    for (const text of [
      "[".repeat(100_000) + "]".repeat(100_000),
      `{"readings":[${'{"a":'.repeat(40_000)}1${"}".repeat(40_000)}]}`,
    ]) {
      const result = parseText(text);
      expect(result).toEqual({
        accepted: [],
        rejected: [expect.objectContaining({ index: null, code: "nesting_too_deep" })],
      });
      expect(result.rejected[0]?.reason.length).toBeLessThan(400);
    }
    expect(parseStatusPayload(Buffer.from("[".repeat(100_000) + "]".repeat(100_000)))).toMatchObject({
      kind: "rejected",
      code: "invalid_status",
      reason: expect.stringContaining("nested more than 8 levels"),
    });
  });

  it("refuses a payload with both a top-level reading and a readings batch, storing neither", () => {
    const reading = { ts: now.getTime() - 1000, tempC: 4 };
    for (const payload of [
      { ...reading, readings: [reading] },
      { tempC: 4, readings: [reading] },
      { seq: 1, readings: [] },
      { ts: 1, readings: "none" },
    ]) {
      expect(parse(payload)).toEqual({
        accepted: [],
        rejected: [
          {
            index: null,
            code: "ambiguous_payload",
            reason: expect.stringMatching(/^payload has both a "readings" batch and top-level reading fields \(/),
          },
        ],
      });
    }
    // Other top-level fields beside a batch are fine, as anywhere.
    expect(parse({ firmware: "2.1", readings: [reading] }).accepted).toHaveLength(1);
  });

  it("bounds the time window: 30 days back, 5 minutes ahead", () => {
    const at = (offsetMs: number) => parse({ ts: now.getTime() + offsetMs, tempC: 4 });
    expect(at(-MAX_READING_AGE_MS).accepted).toHaveLength(1);
    expect(at(-MAX_READING_AGE_MS - 1).rejected[0]?.code).toBe("ts_too_old");
    expect(at(MAX_CLOCK_SKEW_MS).accepted).toHaveLength(1);
    expect(at(MAX_CLOCK_SKEW_MS + 1).rejected[0]?.code).toBe("ts_in_future");
  });

  it("takes 1000 readings and refuses 1001", () => {
    const reading = { ts: now.getTime(), tempC: 4 };
    expect(parse({ readings: Array(MAX_READINGS_PER_MESSAGE).fill(reading) }).accepted).toHaveLength(1000);
    expect(parse({ readings: Array(MAX_READINGS_PER_MESSAGE + 1).fill(reading) }).rejected).toEqual([
      expect.objectContaining({ index: null, code: "batch_too_large" }),
    ]);
  });

  it("rounds to hundredths of a degree and never yields -0", () => {
    expect(parse({ ts: now.getTime(), tempC: 4.567 }).accepted[0]?.tempCentiC).toBe(457);
    expect(Object.is(parse({ ts: now.getTime(), tempC: -0.001 }).accepted[0]?.tempCentiC, 0)).toBe(true);
  });

  it("explains a wrong type with the value it got", () => {
    expect(parseText('{"ts": "yesterday", "tempC": 4}').rejected[0]?.reason).toBe(
      'ts must be an ISO-8601 time with an offset (e.g. "2025-01-31T08:15:00+07:00") or epoch milliseconds; got "yesterday"',
    );
  });
});

describe("the topic is the identity (A14)", () => {
  const ts = now.getTime() - 60_000;
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

  it("quarantines a message or a batch entry that names another device, keeps one naming the same", () => {
    const single = parseReadingsPayload(bytes({ deviceId: "RTS-OTHER", ts, tempC: 4 }), now, "RTS-1");
    expect(single.accepted).toEqual([]);
    expect(single.rejected).toEqual([
      { index: null, code: "device_mismatch", reason: expect.stringMatching(/"RTS-OTHER" differs from .*"RTS-1"/) },
    ]);
    const envelope = parseReadingsPayload(bytes({ deviceId: 7, readings: [{ ts, tempC: 4 }] }), now, "RTS-1");
    expect(envelope.rejected.map((r) => [r.index, r.code])).toEqual([[null, "device_mismatch"]]);

    const batch = parseReadingsPayload(
      bytes({
        readings: [
          { ts, tempC: 4, deviceId: "RTS-1" },
          { ts: ts + 1, tempC: 5, deviceId: "RTS-2" },
          { ts: ts + 2, tempC: 6 },
        ],
      }),
      now,
      "RTS-1",
    );
    expect(batch.accepted.map((r) => r.tempCentiC)).toEqual([400, 600]);
    expect(batch.rejected.map((r) => [r.index, r.code])).toEqual([[1, "device_mismatch"]]);
    expect(parseReadingsPayload(bytes({ deviceId: "RTS-1", ts, tempC: 4 }), now, "RTS-1").accepted).toHaveLength(1);
  });

  it("applies to status messages too", () => {
    expect(parseStatusPayload(bytes({ online: true, deviceId: "RTS-2" }), "RTS-1")).toMatchObject({
      kind: "rejected",
      code: "device_mismatch",
    });
    expect(parseStatusPayload(bytes({ online: true, deviceId: "RTS-1" }), "RTS-1")).toEqual({
      kind: "status",
      online: true,
    });
  });
});

describe("parseStatusPayload", () => {
  it("reads online/offline, ignores extra fields, treats an empty payload as a cleared retained message", () => {
    expect(parseStatusPayload(Buffer.from('{"online": false, "reason": "will"}'))).toEqual({
      kind: "status",
      online: false,
    });
    expect(parseStatusPayload(Buffer.alloc(0))).toEqual({ kind: "cleared" });
    expect(parseStatusPayload(Buffer.from('{"online": "yes"}'))).toMatchObject({
      kind: "rejected",
      code: "invalid_status",
    });
    expect(parseStatusPayload(Buffer.from("online"))).toMatchObject({ kind: "rejected", code: "invalid_status" });
  });
});

/** Invariants that hold for any input whatsoever. */
function checkInvariants(result: ParsedReadings, batchLength: number | null) {
  for (const rejection of result.rejected) {
    expect(rejectionCodes).toContain(rejection.code);
    expect(rejection.reason.length).toBeGreaterThan(10);
    expect(rejection.reason.length).toBeLessThanOrEqual(2000);
  }
  const wholeMessage = result.rejected.filter((rejection) => rejection.index === null);
  if (wholeMessage.length > 0) {
    expect(wholeMessage).toHaveLength(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.accepted).toHaveLength(0);
  } else if (batchLength !== null) {
    // Every reading of the batch is accounted for exactly once.
    const indexes = result.rejected.map((rejection) => rejection.index);
    expect(new Set(indexes).size).toBe(indexes.length);
    for (const index of indexes) expect(index).toBeGreaterThanOrEqual(0);
    for (const index of indexes) expect(index).toBeLessThan(batchLength);
    expect(result.accepted.length + indexes.length).toBe(batchLength);
  } else {
    expect(result.accepted.length + result.rejected.length).toBe(1);
  }
  for (const reading of result.accepted) {
    expect(Number.isInteger(reading.tempCentiC)).toBe(true);
    expect(reading.tempCentiC).toBeGreaterThanOrEqual(-9000);
    expect(reading.tempCentiC).toBeLessThanOrEqual(7000);
    expect(now.getTime() - reading.ts.getTime()).toBeLessThanOrEqual(MAX_READING_AGE_MS);
    expect(reading.ts.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_CLOCK_SKEW_MS);
    if (reading.batteryPct !== null) {
      expect(Number.isInteger(reading.batteryPct)).toBe(true);
      expect(reading.batteryPct).toBeGreaterThanOrEqual(0);
      expect(reading.batteryPct).toBeLessThanOrEqual(100);
    }
    if (reading.seq !== null) {
      expect(Number.isInteger(reading.seq)).toBe(true);
      expect(reading.seq).toBeGreaterThanOrEqual(0);
      expect(reading.seq).toBeLessThanOrEqual(MAX_SEQ);
    }
  }
}

/** Values that are sometimes right and often subtly wrong for each field. */
const tsArb = fc.oneof(
  fc.integer({ min: now.getTime() - 40 * 86_400_000, max: now.getTime() + 600_000 }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc
    .integer({ min: now.getTime() - 31 * 86_400_000, max: now.getTime() + 400_000 })
    .map((ms) => new Date(ms).toISOString().replace("Z", "+07:00")),
  fc.string(),
  fc.double(),
  fc.constant(null),
);
const tempArb = fc.oneof(fc.double({ min: -100, max: 80 }), fc.double(), fc.string(), fc.constant(null));
const readingArb = fc.record(
  {
    ts: tsArb,
    tempC: tempArb,
    batteryPct: fc.oneof(fc.double({ min: -10, max: 110 }), fc.constant(null), fc.string()),
    seq: fc.oneof(fc.integer({ min: -5, max: 2 ** 32 + 5 }), fc.double(), fc.constant(null)),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const itemArb = fc.oneof({ weight: 5, arbitrary: readingArb }, { weight: 1, arbitrary: fc.jsonValue() });

describe("parseReadingsPayload never throws and accounts for every reading", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        checkInvariants(parseReadingsPayload(Buffer.from(bytes), now), null);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = parseReadingsPayload(Buffer.from(JSON.stringify(value) ?? ""), now);
        const batch =
          typeof value === "object" && value !== null && !Array.isArray(value) && "readings" in value
            ? value.readings
            : undefined;
        checkInvariants(result, Array.isArray(batch) ? batch.length : null);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("single readings and batches of plausible-but-wrong readings", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          readingArb.map((reading) => ({ payload: reading as unknown, batchLength: null as number | null })),
          fc.array(itemArb, { minLength: 1, maxLength: 40 }).map((readings) => ({
            payload: { readings } as unknown,
            batchLength: readings.length as number | null,
          })),
        ),
        ({ payload, batchLength }) => {
          checkInvariants(parse(payload), batchLength);
        },
      ),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("valid readings are always accepted, as Math.round(tempC × 100)", () => {
    const validArb = fc.record({
      ts: fc.integer({ min: now.getTime() - MAX_READING_AGE_MS, max: now.getTime() + MAX_CLOCK_SKEW_MS }),
      tempC: fc.double({ min: -90, max: 70, noNaN: true }),
      batteryPct: fc.integer({ min: 0, max: 100 }),
      seq: fc.integer({ min: 0, max: MAX_SEQ }),
    });
    fc.assert(
      fc.property(fc.array(validArb, { minLength: 1, maxLength: 50 }), (readings) => {
        const result = parse({ readings });
        expect(result.rejected).toEqual([]);
        expect(result.accepted.map((reading) => reading.tempCentiC)).toEqual(
          readings.map((reading) => Math.round(reading.tempC * 100) + 0),
        );
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});

describe("the fast path accepts only what the schema accepts", () => {
  const schemaVerdict = (input: unknown) => {
    const result = parseReadingFields(input);
    return "code" in result ? null : result;
  };
  const mixedArb = fc.oneof(
    readingArb,
    fc.jsonValue(),
    fc.record({
      ts: fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constant(1_700_000_000)),
      tempC: fc.oneof(fc.double(), fc.constantFrom(-90, 70, -90.0001, 70.0001, Number.NaN, -0)),
      batteryPct: fc.oneof(fc.double(), fc.constantFrom(0, 100, -0.0001, 100.0001), fc.constant(undefined)),
      seq: fc.oneof(fc.integer(), fc.constantFrom(0, MAX_SEQ, MAX_SEQ + 1, -1, 1.5), fc.constant(undefined)),
    }),
  );

  it("whatever it takes, the schema takes too, with the same values", () => {
    fc.assert(
      fc.property(mixedArb, (input) => {
        const plain = plainlyValidReading(input);
        if (plain === null) return;
        const parsed = ZReadingSchema.safeParse(input);
        expect(parsed.success).toBe(true);
        if (!parsed.success) return;
        expect(plain).toEqual({
          ts: parsed.data.ts,
          tempC: parsed.data.tempC,
          batteryPct: parsed.data.batteryPct ?? null,
          seq: parsed.data.seq ?? null,
        });
      }),
      { numRuns: 5000 },
    );
  }, 60_000);

  it("takes the ordinary device reading, so the storm skips the schema", () => {
    expect(plainlyValidReading({ ts: now.getTime(), tempC: 4.5, batteryPct: 80, seq: 7, fw: "2.1" })).not.toBeNull();
    expect(plainlyValidReading({ ts: now.getTime(), tempC: 4.5 })).not.toBeNull();
    expect(schemaVerdict({ ts: now.toISOString(), tempC: 4.5 })).not.toBeNull();
    expect(plainlyValidReading({ ts: now.toISOString(), tempC: 4.5 })).toBeNull();
  });
});

describe("parseStatusPayload never throws", () => {
  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (bytes) => {
        const status = parseStatusPayload(Buffer.from(bytes));
        expect(["status", "cleared", "rejected"]).toContain(status.kind);
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
