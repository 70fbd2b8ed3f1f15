import { parseEnv } from "@rantai/db/env";
import { describe, expect, it } from "vitest";
import { ZIngestEnvSchema, ZSimulatorEnvSchema } from "./env";
import { configFromEnv, withoutFoundRows } from "./ingest";

describe("ingest environment", () => {
  it("has working defaults, with a client id stable per host", () => {
    const env = parseEnv(ZIngestEnvSchema, {});
    expect(env).toMatchObject({
      MQTT_URL: "mqtt://127.0.0.1:1884",
      INGEST_CONNECTIONS: 64,
      INGEST_HTTP_PORT: 9464,
      INGEST_BATCH_MAX_ROWS: 5000,
      INGEST_FLUSH_LANES: 2,
      INGEST_BATCH_MAX_WAIT_MS: 50,
      INGEST_SHUTDOWN_TIMEOUT_MS: 10_000,
    });
    expect(env.INGEST_CLIENT_ID).toMatch(/^ingest-[A-Za-z0-9._-]+$/);
    expect(parseEnv(ZIngestEnvSchema, {}).INGEST_CLIENT_ID).toBe(env.INGEST_CLIENT_ID);
    expect(configFromEnv(env)).toMatchObject({ clientId: env.INGEST_CLIENT_ID, connections: 64, flushLanes: 2 });
  });

  it("names the bad variable and shows a good value", () => {
    const bad = () => parseEnv(ZIngestEnvSchema, { INGEST_CONNECTIONS: "many", MQTT_URL: "localhost" });
    expect(bad).toThrow(/INGEST_CONNECTIONS: must be a whole number, e.g. 64/);
    expect(bad).toThrow(/MQTT_URL: must look like mqtt:\/\/127\.0\.0\.1:1884/);
    expect(() => parseEnv(ZIngestEnvSchema, { INGEST_CLIENT_ID: "has spaces" })).toThrow(/INGEST_CLIENT_ID/);
  });

  it("reads the simulator's section", () => {
    expect(parseEnv(ZSimulatorEnvSchema, { SIMULATOR_INTERVAL_SECONDS: "2.5" })).toMatchObject({
      SIMULATOR_INTERVAL_SECONDS: 2.5,
      SIMULATOR_DEVICE_LIMIT: 0,
    });
  });
});

describe("withoutFoundRows", () => {
  it("turns CLIENT_FOUND_ROWS off, keeping other options", () => {
    expect(withoutFoundRows("mysql://root@127.0.0.1:3306/rantai")).toBe(
      "mysql://root@127.0.0.1:3306/rantai?flags=-FOUND_ROWS",
    );
    expect(withoutFoundRows("mysql://u:p@db:3306/rantai?flags=-MULTI_STATEMENTS&ssl=x")).toBe(
      "mysql://u:p@db:3306/rantai?flags=-MULTI_STATEMENTS%2C-FOUND_ROWS&ssl=x",
    );
  });
});

describe("INGEST_NO_DATA_CHECK_SECONDS", () => {
  it("sets the NO_DATA check period (60 s by default), within 5 s to 1 h", () => {
    expect(configFromEnv(parseEnv(ZIngestEnvSchema, {})).noDataCheckIntervalMs).toBe(60_000);
    const env = parseEnv(ZIngestEnvSchema, { INGEST_NO_DATA_CHECK_SECONDS: "300" });
    expect(configFromEnv(env).noDataCheckIntervalMs).toBe(300_000);
    const parse = (value: string) => () => parseEnv(ZIngestEnvSchema, { INGEST_NO_DATA_CHECK_SECONDS: value });
    expect(parse("often")).toThrow(/INGEST_NO_DATA_CHECK_SECONDS: must be a whole number, e.g. 60/);
    expect(parse("1.5")).toThrow(/INGEST_NO_DATA_CHECK_SECONDS: must be a whole number, e.g. 60/);
    expect(parse("4")).toThrow(/INGEST_NO_DATA_CHECK_SECONDS: must be at least 5 seconds/);
    expect(parse("3601")).toThrow(/INGEST_NO_DATA_CHECK_SECONDS: must be at most 3600 seconds/);
  });
});
