import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A private Mosquitto for one test file, rendered from config/mosquitto/rantai.conf (so tests
 * exercise the real broker settings: persistence, queues, packet size) on a free loopback port.
 * A private broker also keeps the `$share/ingest` group to this file's ingest instances.
 */
export const BROKER_TEMPLATE = fileURLToPath(new URL("../../../../config/mosquitto/rantai.conf", import.meta.url));

export interface TestBroker {
  url: string;
  port: number;
  dataDir: string;
  /** kill -9 (no final save: loses up to autosave_interval of state) or SIGTERM (saves). */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port with the same data directory. */
  restart(): Promise<void>;
  /** Stops it and deletes its data directory. */
  destroy(): Promise<void>;
}

export function renderBrokerConfig(template: string, values: { port: number; dataDir: string }): string {
  return template.replaceAll("{{PORT}}", String(values.port)).replaceAll("{{DATA_DIR}}", values.dataDir);
}

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

export async function startTestBroker(): Promise<TestBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), "rantai-mosquitto-"));
  // Started as root, mosquitto drops to the "mosquitto" user, which must write here.
  await chmod(dataDir, 0o777);
  const port = await freePort();
  const configPath = join(dataDir, "rantai.conf");
  await writeFile(configPath, renderBrokerConfig(await readFile(BROKER_TEMPLATE, "utf8"), { port, dataDir }));
  await chmod(configPath, 0o644);

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
      const log = await readFile(join(dataDir, "mosquitto.log"), "utf8").catch(() => "");
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

  await launch();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dataDir,
    stop,
    restart: launch,
    async destroy() {
      await stop("SIGTERM");
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
