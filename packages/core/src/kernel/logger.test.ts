import { describe, expect, it } from "vitest";
import {
  configureProcessLogger,
  contextLogger,
  createLogger,
  errorFields,
  type LoggerOptions,
  logEnv,
  processLogger,
} from "./logger";

/** A logger writing into an array, one parsed JSON object per line. */
function capture(options: Omit<LoggerOptions, "destination">) {
  const text: string[] = [];
  const logger = createLogger({ ...options, destination: { write: (line: string) => text.push(line) } });
  const lines = () => text.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, lines };
}

describe("the process logger", () => {
  it("writes one JSON line per event: ISO time, the level as a word, the service, the event as msg", () => {
    const { logger, text, lines } = capture({ service: "ingest", base: { clientId: "ingest-0" } });
    logger.warn({ sensorId: 12 }, "alarm_live_key_adopted");
    expect(text).toHaveLength(1);
    expect(text[0]?.endsWith("\n")).toBe(true);
    const [line] = lines();
    expect(line).toEqual({
      level: "warn",
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: "ingest",
      clientId: "ingest-0",
      sensorId: 12,
      msg: "alarm_live_key_adopted",
    });
  });

  it("carries a request's or message's context on every line of its child logger", () => {
    const { logger, lines } = capture({ service: "web" });
    const request = contextLogger({ requestId: "req-1", actorId: 7 }, logger);
    request.info({ action: "stock.receive" }, "audit");
    request.error("procedure_failed");
    contextLogger({ messageId: "msg-9", actorId: null }, logger).info("message_quarantined");
    expect(lines()).toEqual([
      expect.objectContaining({
        service: "web",
        requestId: "req-1",
        actorId: 7,
        action: "stock.receive",
        msg: "audit",
      }),
      expect.objectContaining({ level: "error", requestId: "req-1", actorId: 7, msg: "procedure_failed" }),
      expect.objectContaining({ service: "web", messageId: "msg-9", msg: "message_quarantined" }),
    ]);
    expect(lines()[2]).not.toHaveProperty("actorId");
  });

  it("drops lines below the configured level", () => {
    const { logger, lines } = capture({ service: "worker", level: "warn" });
    logger.info("routine");
    logger.debug("detail");
    logger.warn("unusual");
    expect(lines().map((line) => line.msg)).toEqual(["unusual"]);
  });

  it("redacts secrets by configuration, at the top level and one object down", () => {
    const { logger, text, lines } = capture({ service: "web" });
    logger.info(
      {
        password: "hunter2-secret-password",
        token: "tok-abcdef-123456",
        passwordHash: "$argon2id$v=19$secret-hash",
        headers: {
          authorization: "Bearer abc.def.ghi",
          cookie: "next-auth.session-token=zzz",
          "set-cookie": "sid=set-cookie-secret",
          accept: "json",
        },
        user: { email: "a@example.org", password: "another-secret-pass" },
        env: { AUTH_SECRET: "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t", DATABASE_URL: "mysql://root:pw@db/rantai" },
        MQTT_PASSWORD: "broker-secret-password",
        BROKER_INGEST_PASSWORD: "broker-ingest-secret",
      },
      "signed_in",
    );
    const written = text.join("");
    for (const secret of [
      "hunter2-secret-password",
      "tok-abcdef-123456",
      "secret-hash",
      "abc.def.ghi",
      "session-token=zzz",
      "another-secret-pass",
      "s3cr3t",
      "root:pw",
      "broker-secret-password",
      "broker-ingest-secret",
      "set-cookie-secret",
    ]) {
      expect(written).not.toContain(secret);
    }
    const [line] = lines();
    expect(line).toMatchObject({
      password: "[redacted]",
      headers: { authorization: "[redacted]", cookie: "[redacted]", accept: "json" },
      user: { email: "a@example.org", password: "[redacted]" },
    });
  });

  it("is configured once per process, and domain code's lines then carry that process's service", () => {
    const text: string[] = [];
    const configured = configureProcessLogger({
      service: "worker",
      level: "debug",
      destination: { write: (line: string) => text.push(line) },
    });
    expect(processLogger()).toBe(configured);
    // What domain code does: a child of the process logger, made at the time of the call.
    contextLogger({ requestId: "req-2" }).debug({ token: "tok-should-not-appear" }, "deadlock_retry");
    expect(text.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: "debug", service: "worker", requestId: "req-2", token: "[redacted]" }),
    ]);
  });

  it("takes its level from validated configuration", () => {
    const schema = logEnv.LOG_LEVEL;
    expect(schema.parse(undefined)).toBe("info");
    expect(schema.parse("debug")).toBe("debug");
    expect(schema.safeParse("verbose").error?.issues[0]?.message).toMatch(/must be one of .*info/);
  });
});

describe("errorFields", () => {
  it("keeps the message and driver code, without credentials or a failed query's parameters", () => {
    const error = Object.assign(new Error("connect to mysql://ingest:pa55word@db:3306/rantai failed\nparams: abc"), {
      code: "ECONNREFUSED",
    });
    expect(errorFields(error)).toEqual({
      error: "connect to mysql://[redacted]@db:3306/rantai failed",
      code: "ECONNREFUSED",
    });
    expect(errorFields("plain")).toEqual({ error: "plain" });
  });
});
