// Makes sure MariaDB/MySQL, Redis and an MQTT broker are reachable for `npm start` and `npm test`.
// Uses the machine's services where they answer; otherwise starts private instances under
// .data/ from installed binaries, or says exactly what to install. Node built-ins only: this
// runs before dependencies are installed.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");
export const dataDir = path.join(root, ".data");

export function say(message) {
  console.log(`[rantai] ${message}`);
}

export function fail(message) {
  console.error(`[rantai] ${message}`);
  process.exit(1);
}

export function isListening(port, host = "127.0.0.1", timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export async function waitForPort(port, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isListening(port)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${what} did not start listening on port ${port} within ${timeoutMs / 1000} s; see the log under .data/.`);
}

function findBinary(names) {
  for (const name of names) {
    for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"]) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Detached so it outlives `npm start`'s own restarts; its pid file lets the next run reuse it. */
function startDaemon(binary, args, logFile) {
  const child = spawn(binary, args, { detached: true, stdio: ["ignore", "ignore", "ignore"] });
  child.unref();
  say(`started ${path.basename(binary)} (pid ${child.pid}); log: ${path.relative(root, logFile)}`);
  return child;
}

export async function ensureMysql() {
  if (await isListening(3306)) return "mysql://root@127.0.0.1:3306/";
  const port = 3307;
  if (await isListening(port)) return `mysql://root@127.0.0.1:${port}/`;
  const server = findBinary(["mariadbd", "mysqld"]);
  const installer = findBinary(["mariadb-install-db", "mysql_install_db"]);
  if (!server || !installer) {
    fail(
      "No MySQL-compatible server answers on 127.0.0.1:3306 and none is installed. Install one: apt-get install -y mariadb-server",
    );
  }
  const dir = path.join(dataDir, "mariadb");
  const datadir = path.join(dir, "data");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(datadir, "mysql"))) {
    say("initialising a private MariaDB under .data/mariadb …");
    const init = spawnSync(
      installer,
      [
        "--no-defaults",
        `--datadir=${datadir}`,
        "--user=root",
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
      ],
      { stdio: "inherit" },
    );
    if (init.status !== 0) fail("mariadb-install-db failed; see the output above.");
  }
  startDaemon(
    server,
    [
      "--no-defaults",
      `--datadir=${datadir}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${path.join(dir, "mariadb.sock")}`,
      "--user=root",
      `--log-error=${path.join(dir, "error.log")}`,
      `--pid-file=${path.join(dir, "mariadb.pid")}`,
    ],
    path.join(dir, "error.log"),
  );
  await waitForPort(port, "MariaDB", 60_000);
  return `mysql://root@127.0.0.1:${port}/`;
}

export async function ensureRedis() {
  if (await isListening(6379)) return "redis://127.0.0.1:6379";
  const port = 6380;
  if (await isListening(port)) return `redis://127.0.0.1:${port}`;
  const server = findBinary(["redis-server"]);
  if (!server)
    fail(
      "No Redis answers on 127.0.0.1:6379 and redis-server is not installed. Install it: apt-get install -y redis-server",
    );
  const dir = path.join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  startDaemon(
    server,
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--logfile",
      path.join(dir, "redis.log"),
      "--pidfile",
      path.join(dir, "redis.pid"),
      "--daemonize",
      "no",
    ],
    path.join(dir, "redis.log"),
  );
  await waitForPort(port, "Redis");
  return `redis://127.0.0.1:${port}`;
}

/** config/mosquitto/rantai.conf with {{PORT}} and {{DATA_DIR}} filled in. */
export function brokerConfigText(port, dir) {
  const template = readFileSync(path.join(root, "config", "mosquitto", "rantai.conf"), "utf8");
  return template.replaceAll("{{PORT}}", String(port)).replaceAll("{{DATA_DIR}}", dir);
}

/**
 * The broker's data directory and the files the template points at. Created world-writable:
 * started as root, Mosquitto drops to the `mosquitto` user, which must be able to write here.
 */
export function brokerPaths(dir) {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  return {
    dir,
    configFile: path.join(dir, "mosquitto.conf"),
    passwordFile: path.join(dir, "passwords"),
    aclFile: path.join(dir, "acl"),
    pidFile: path.join(dir, "mosquitto.pid"),
  };
}

/** Renders config/mosquitto/rantai.conf for a private broker whose state lives in `dir`. */
export function renderBrokerConfig(port, dir) {
  const { configFile } = brokerPaths(dir);
  writeFileSync(configFile, brokerConfigText(port, dir));
  return configFile;
}

export function mosquittoBinary() {
  const server = findBinary(["mosquitto"]);
  if (!server) fail("The MQTT broker is not installed. Install it: apt-get install -y mosquitto");
  return server;
}

/**
 * Writes the broker's password and ACL files from the database (active sensors + the ingest
 * service account), via apps/ingest/src/broker-auth, and SIGHUPs the broker if it runs and they
 * changed. Returns the environment the `--watch` loop needs to keep them current.
 */
export function syncBrokerAuth(paths, { databaseUrl, ingestPassword }) {
  const env = {
    DATABASE_URL: databaseUrl,
    BROKER_PASSWORD_FILE: paths.passwordFile,
    BROKER_ACL_FILE: paths.aclFile,
    BROKER_PID_FILE: paths.pidFile,
    BROKER_INGEST_USERNAME: "ingest",
    BROKER_INGEST_PASSWORD: ingestPassword,
  };
  run(path.join(root, "node_modules", ".bin", "tsx"), ["apps/ingest/src/broker-auth/main.ts"], {
    env: { ...process.env, ...env },
  });
  return env;
}

/** The pid of a running broker started on `configFile`: from its pid file, else from /proc. */
function brokerPid(paths) {
  const candidates = [];
  if (existsSync(paths.pidFile)) candidates.push(Number(readFileSync(paths.pidFile, "utf8").trim()));
  try {
    for (const entry of readdirSync("/proc")) if (/^\d+$/.test(entry)) candidates.push(Number(entry));
  } catch {}
  for (const pid of candidates) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (path.basename(args[0] ?? "") === "mosquitto" && args[1] === "-c" && args[2] === paths.configFile) return pid;
    } catch {}
  }
  return null;
}

async function waitForPortClosed(port, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isListening(port))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`The broker on port ${port} did not stop within ${timeoutMs / 1000} s.`);
}

/**
 * Rantai always runs its own broker from config/mosquitto/rantai.conf: the Debian default keeps
 * only 1,000 queued messages per client and drops the rest of a burst, and allows anonymous
 * clients. `npm start` keeps it running between runs, so ingest's persistent sessions (and
 * anything queued) survive; when the rendered config changed since it was started, it is
 * stopped gracefully (persistence saves its sessions) and started again. A broker already
 * running on the same config is sent SIGHUP, so it re-reads its password and ACL files.
 * Without password and ACL files (e.g. `npm run simulate` alone) it starts with empty ones,
 * which admit nobody until the broker-auth sync writes them.
 */
export async function ensureBroker(port = 1884, name = "mosquitto") {
  const url = `mqtt://127.0.0.1:${port}`;
  const paths = brokerPaths(path.join(dataDir, name));
  const config = brokerConfigText(port, paths.dir);
  const previous = existsSync(paths.configFile) ? readFileSync(paths.configFile, "utf8") : null;
  for (const file of [paths.passwordFile, paths.aclFile]) {
    if (!existsSync(file)) {
      writeFileSync(file, "# Empty until broker-auth writes it (npm start does).\n", { mode: 0o644 });
      say(`${path.relative(root, file)} did not exist: the broker admits nobody until broker-auth writes it.`);
    }
  }
  if (await isListening(port)) {
    const pid = brokerPid(paths);
    if (previous === config && pid !== null) {
      process.kill(pid, "SIGHUP");
      return url;
    }
    if (pid === null) {
      fail(
        `Port ${port} is taken by a process that is not Rantai's broker (started from ${path.relative(root, paths.configFile)}). Stop it and run again.`,
      );
    }
    say(`the broker configuration changed: restarting the broker (pid ${pid}) …`);
    process.kill(pid, "SIGTERM");
    await waitForPortClosed(port);
  }
  writeFileSync(paths.configFile, config);
  startDaemon(mosquittoBinary(), ["-c", paths.configFile], path.join(paths.dir, "mosquitto.log"));
  await waitForPort(port, "Mosquitto");
  return url;
}

/** Installs dependencies when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
  const installed = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  const upToDate =
    existsSync(installed) &&
    existsSync(path.join(root, "node_modules", ".bin", "tsx")) &&
    (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs);
  if (upToDate) return;
  say("installing dependencies (npm ci) …");
  const result = spawnSync("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) fail("Installing dependencies failed; see the npm output above.");
}

/** A random secret kept under .data/ so sessions survive restarts of `npm start`. */
export function localAuthSecret() {
  return localSecret("auth-secret");
}

/** The local ingest service account's broker password, kept under .data/ like the auth secret. */
export function localBrokerIngestPassword() {
  return localSecret("broker-ingest-password");
}

function localSecret(name) {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      file,
      crypto.getRandomValues(new Uint8Array(32)).reduce((s, b) => s + b.toString(16).padStart(2, "0"), ""),
      { mode: 0o600 },
    );
  }
  return readFileSync(file, "utf8").trim();
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed (exit ${result.status}).`);
}
