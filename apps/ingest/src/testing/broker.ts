import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brokerFileOwner, writeFileAtomic } from "../broker-auth/atomic-file";
import { renderAclFile, renderPasswordFile } from "../broker-auth/files";

/**
 * A private Mosquitto for one test file, rendered from config/mosquitto/rantai.conf (so tests
 * exercise the real broker settings: persistence, queues, packet size, password and ACL files)
 * on a free loopback port. A private broker also keeps the `$share/ingest` group to this file's
 * ingest instances.
 *
 * Two modes:
 * - `auth: "password"`: the template as it is — no anonymous access, the password and ACL files
 *   start empty (nobody may connect) until the test writes them (`syncBrokerAuth` into
 *   `passwordFile`/`aclFile`) and calls `reload()`.
 * - `auth: "anonymous"` (default, for tests about ingest rather than broker security): the same
 *   template with `allow_anonymous true` and an ACL granting anonymous clients everything.
 */
export const BROKER_TEMPLATE = fileURLToPath(new URL("../../../../config/mosquitto/rantai.conf", import.meta.url));

export interface TestBrokerOptions {
  auth?: "anonymous" | "password";
  /**
   * Rewrites the rendered config before the broker reads it, e.g. to compare the project's
   * settings with a distribution's defaults. Should throw if the line it means to change is
   * missing, so a changed template cannot make such a test pass vacuously. Default: unchanged.
   */
  editConfig?: (config: string) => string;
}

export interface TestBroker {
  url: string;
  port: number;
  dataDir: string;
  passwordFile: string;
  aclFile: string;
  pidFile: string;
  /** kill -9 (no final save: loses up to autosave_interval of state) or SIGTERM (saves). */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port with the same data directory. */
  restart(): Promise<void>;
  /** SIGHUP: re-reads the password and ACL files; resolves once the broker has done so. */
  reload(): Promise<void>;
  /** Stops it and deletes its data directory. */
  destroy(): Promise<void>;
}

const ALLOW_ANONYMOUS_FALSE = /^allow_anonymous false$/m;

export function renderBrokerConfig(
  template: string,
  values: { port: number; dataDir: string; anonymous?: boolean },
): string {
  let config = template.replaceAll("{{PORT}}", String(values.port)).replaceAll("{{DATA_DIR}}", values.dataDir);
  if (values.anonymous) {
    if (!ALLOW_ANONYMOUS_FALSE.test(config)) throw new Error("the broker template has no `allow_anonymous false` line");
    config = config.replace(ALLOW_ANONYMOUS_FALSE, "allow_anonymous true");
  }
  return config;
}

/** Anonymous clients are those the ACL file lists before any `user` line. */
const ANONYMOUS_ACL = "# Test broker: anonymous clients may do anything.\ntopic readwrite #\n";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function mosquittoBinary(): string {
  return existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
}

const countReloads = (log: string) => log.split("Reloading config.").length - 1;

export async function startTestBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const anonymous = (options.auth ?? "anonymous") === "anonymous";
  const dataDir = await mkdtemp(join(tmpdir(), "rantai-mosquitto-"));
  // Started as root, mosquitto drops to the "mosquitto" user, which must write here.
  await chmod(dataDir, 0o777);
  const port = await freePort();
  const configPath = join(dataDir, "rantai.conf");
  const rendered = renderBrokerConfig(await readFile(BROKER_TEMPLATE, "utf8"), { port, dataDir, anonymous });
  await writeFile(configPath, options.editConfig ? options.editConfig(rendered) : rendered);
  await chmod(configPath, 0o644);
  const passwordFile = join(dataDir, "passwords");
  const aclFile = join(dataDir, "acl");
  const owner = brokerFileOwner();
  const mode = owner ? 0o600 : 0o644;
  await writeFileAtomic(passwordFile, renderPasswordFile([]), mode, owner);
  await writeFileAtomic(aclFile, anonymous ? ANONYMOUS_ACL : renderAclFile([]), mode, owner);
  const logFile = join(dataDir, "mosquitto.log");

  let child: ChildProcess | null = null;
  const launch = async () => {
    const started = spawn(mosquittoBinary(), ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    started.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child = started;
    try {
      await waitForPort(port, started);
    } catch (error) {
      started.kill("SIGKILL");
      const log = await readFile(logFile, "utf8").catch(() => "");
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}\n${log}`);
    }
  };
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill(signal);
    await exited;
  };
  const reload = async () => {
    const running = child;
    if (!running) throw new Error("the test broker is not running");
    const before = countReloads(await readFile(logFile, "utf8").catch(() => ""));
    running.kill("SIGHUP");
    const deadline = Date.now() + 5000;
    while (countReloads(await readFile(logFile, "utf8").catch(() => "")) <= before) {
      if (Date.now() > deadline) throw new Error("mosquitto did not log a reload within 5 s of SIGHUP");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dataDir,
    passwordFile,
    aclFile,
    pidFile: join(dataDir, "mosquitto.pid"),
    stop,
    restart: launch,
    reload,
    async destroy() {
      await stop("SIGTERM");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
