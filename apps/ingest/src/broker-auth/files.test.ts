import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "@rantai/db/env";
import { describe, expect, it } from "vitest";
import { ZBrokerAuthEnvSchema } from "../env";
import { brokerFileOwner } from "./atomic-file";
import { INGEST_READ_TOPICS, INGEST_WRITE_TOPICS, parsePasswordFile, renderAclFile, renderPasswordFile } from "./files";
import { reloadBroker } from "./reload";
import { serviceAccountsFromEnv } from "./service-accounts";

const HASH =
  "$7$101$lxZgF84UbMz7solK$x5PrVfssPHJjXxWPjV3AqQrE0RvGiq+a0Jy7HrSkI9Q5s19tdgnJMJj6ZjakX3tgOEthNDluZ9efI+8iWzVaAg==";

describe("password file", () => {
  it("renders sorted user:hash lines that parse back, the same bytes for the same accounts", () => {
    const accounts = [
      { username: "RTS-2", passwordHash: HASH },
      { username: "ingest", passwordHash: HASH },
      { username: "RTS-10", passwordHash: HASH },
    ];
    const text = renderPasswordFile(accounts);
    expect(text.split("\n").filter((line) => !line.startsWith("#"))).toEqual([
      `RTS-10:${HASH}`,
      `RTS-2:${HASH}`,
      `ingest:${HASH}`,
      "",
    ]);
    expect(renderPasswordFile([...accounts].reverse())).toBe(text);
    expect([...parsePasswordFile(text).entries()]).toEqual([
      ["RTS-10", HASH],
      ["RTS-2", HASH],
      ["ingest", HASH],
    ]);
    expect(parsePasswordFile(renderPasswordFile([])).size).toBe(0);
  });
});

describe("ACL file", () => {
  it("grants devices their own two topics and own confirmations only, and services exactly their topics", () => {
    const acl = renderAclFile([
      { username: "ingest", passwordHash: HASH, read: INGEST_READ_TOPICS, write: INGEST_WRITE_TOPICS },
      { username: "svc-bench", passwordHash: HASH, read: [], write: ["coldchain/v1/sensors/+/readings"] },
    ]);
    const rules = acl.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(rules).toEqual([
      "pattern write coldchain/v1/sensors/%u/readings",
      "pattern write coldchain/v1/sensors/%u/status",
      "pattern read coldchain/v1/sensors/%u/stored",
      "user ingest",
      "topic read coldchain/v1/sensors/+/readings",
      "topic read coldchain/v1/sensors/+/status",
      "topic write coldchain/v1/sensors/+/stored",
      "user svc-bench",
      "topic write coldchain/v1/sensors/+/readings",
    ]);
  });
});

describe("broker-auth environment", () => {
  const base = { BROKER_PASSWORD_FILE: "/data/passwords", BROKER_ACL_FILE: "/data/acl" };

  it("needs the files and exactly one of the ingest password or its hash", () => {
    const env = parseEnv(ZBrokerAuthEnvSchema, { ...base, BROKER_INGEST_PASSWORD: "0123456789abcdef0123" });
    expect(env).toMatchObject({ BROKER_INGEST_USERNAME: "ingest", BROKER_AUTH_SYNC_INTERVAL_SECONDS: 10 });
    expect(serviceAccountsFromEnv(env)).toEqual([
      {
        username: "ingest",
        password: "0123456789abcdef0123",
        passwordHash: undefined,
        read: INGEST_READ_TOPICS,
        write: INGEST_WRITE_TOPICS,
      },
    ]);
    expect(
      parseEnv(ZBrokerAuthEnvSchema, { ...base, BROKER_INGEST_PASSWORD_HASH: HASH }).BROKER_INGEST_PASSWORD_HASH,
    ).toBe(HASH);
    expect(() => parseEnv(ZBrokerAuthEnvSchema, base)).toThrow(/exactly one of BROKER_INGEST_PASSWORD/);
    expect(() =>
      parseEnv(ZBrokerAuthEnvSchema, {
        ...base,
        BROKER_INGEST_PASSWORD: "0123456789abcdef0123",
        BROKER_INGEST_PASSWORD_HASH: HASH,
      }),
    ).toThrow(/exactly one/);
    expect(() => parseEnv(ZBrokerAuthEnvSchema, { BROKER_INGEST_PASSWORD: "0123456789abcdef0123" })).toThrow(
      /BROKER_PASSWORD_FILE/,
    );
  });

  it("keeps the service account's name out of the device namespace", () => {
    const env = { ...base, BROKER_INGEST_PASSWORD: "0123456789abcdef0123" };
    expect(() => parseEnv(ZBrokerAuthEnvSchema, { ...env, BROKER_INGEST_USERNAME: "RTS-1" })).toThrow(
      /BROKER_INGEST_USERNAME/,
    );
    expect(parseEnv(ZBrokerAuthEnvSchema, { ...env, BROKER_INGEST_USERNAME: "ingest-eu" }).BROKER_INGEST_USERNAME).toBe(
      "ingest-eu",
    );
    expect(() => parseEnv(ZBrokerAuthEnvSchema, { ...base, BROKER_INGEST_PASSWORD_HASH: "plain" })).toThrow(/\$7\$/);
  });
});

describe("file owner and reload", () => {
  const passwd = () => "root:x:0:0::/root:/bin/bash\nmosquitto:x:105:108::/var/lib/mosquitto:/usr/sbin/nologin\n";

  it("hands the files to the mosquitto user only when running as root", () => {
    expect(brokerFileOwner(0, passwd)).toEqual({ uid: 105, gid: 108 });
    expect(brokerFileOwner(1000, passwd)).toBeNull();
    expect(brokerFileOwner(0, () => "root:x:0:0::/root:/bin/bash\n")).toBeNull();
  });

  it("signals only a live mosquitto named by the pid file", async () => {
    const signalled: number[] = [];
    const signal = (pid: number) => signalled.push(pid);
    expect(await reloadBroker("/nonexistent/mosquitto.pid", signal)).toBe("no_pid_file");
    // Our own pid is alive but is node, not mosquitto.
    const dir = await mkdtemp(join(tmpdir(), "rantai-pid-"));
    await writeFile(join(dir, "pid"), `${process.pid}\n`);
    expect(await reloadBroker(join(dir, "pid"), signal)).toBe("not_mosquitto");
    await writeFile(join(dir, "pid"), "999999999\n");
    expect(await reloadBroker(join(dir, "pid"), signal)).toBe("not_running");
    await rm(dir, { recursive: true });
    expect(signalled).toEqual([]);
  });
});
