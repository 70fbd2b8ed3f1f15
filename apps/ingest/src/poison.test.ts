import { describe, expect, it } from "vitest";
import { ZIngestEnvSchema } from "./env";
import { describePoison, isTransientDatabaseError, messageKey } from "./message-attempts";

describe("messageKey", () => {
  it("is the same for the same topic and bytes, and differs when either changes", () => {
    const topic = "coldchain/v1/sensors/RTS-1/readings";
    const payload = Buffer.from('{"ts":1738286100000,"tempC":4.5}');
    expect(messageKey(topic, payload)).toBe(messageKey(topic, Buffer.from(payload)));
    expect(messageKey(topic, payload)).toMatch(/^[0-9a-f]{64}$/);
    expect(messageKey("coldchain/v1/sensors/RTS-2/readings", payload)).not.toBe(messageKey(topic, payload));
    expect(messageKey(topic, Buffer.from('{"ts":1738286100000,"tempC":4.6}'))).not.toBe(messageKey(topic, payload));
    // The separator keeps topic and payload apart: "a" + "bc" is not "ab" + "c".
    expect(messageKey("a", Buffer.from("bc"))).not.toBe(messageKey("ab", Buffer.from("c")));
  });
});

describe("isTransientDatabaseError", () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it("treats connection loss, restarts and lock conflicts as transient, also when wrapped", () => {
    for (const code of ["ECONNREFUSED", "PROTOCOL_CONNECTION_LOST", "ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT"])
      expect(isTransientDatabaseError(withCode(code)), code).toBe(true);
    expect(isTransientDatabaseError(new Error("Failed query: insert …", { cause: withCode("ECONNRESET") }))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error("socket gone"), { fatal: true }))).toBe(true);
  });

  it("blames the batch for data errors and bugs", () => {
    expect(isTransientDatabaseError(withCode("ER_DATA_TOO_LONG"))).toBe(false);
    expect(isTransientDatabaseError(new Error("Failed query", { cause: withCode("ER_DUP_ENTRY") }))).toBe(false);
    expect(isTransientDatabaseError(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isTransientDatabaseError("not an error")).toBe(false);
  });
});

describe("describePoison", () => {
  it("says how many attempts failed", () => {
    expect(describePoison(4)).toContain("3 times (attempt 4 refused)");
  });
});

describe("INGEST_POISON_* and the fault hook in env", () => {
  it("defaults to 3 attempts and no fault hook", () => {
    const env = ZIngestEnvSchema.parse({});
    expect(env.INGEST_POISON_MAX_ATTEMPTS).toBe(3);
    expect(env.INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING).toBeUndefined();
  });

  it("bounds both", () => {
    expect(ZIngestEnvSchema.safeParse({ INGEST_POISON_MAX_ATTEMPTS: "0" }).success).toBe(false);
    expect(ZIngestEnvSchema.safeParse({ INGEST_POISON_MAX_ATTEMPTS: "101" }).success).toBe(false);
    expect(ZIngestEnvSchema.parse({ INGEST_POISON_MAX_ATTEMPTS: "5" }).INGEST_POISON_MAX_ATTEMPTS).toBe(5);
    // Too short a marker would match ordinary payloads and crash-loop ingest on purpose.
    expect(ZIngestEnvSchema.safeParse({ INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING: "{" }).success).toBe(false);
    expect(
      ZIngestEnvSchema.parse({ INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING: "crash-marker-1" })
        .INGEST_FAULT_CRASH_ON_PAYLOAD_CONTAINING,
    ).toBe("crash-marker-1");
  });
});
