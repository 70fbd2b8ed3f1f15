// `npm run stop`: stops the services `npm start` leaves running on purpose — Rantai's own
// Mosquitto (kept between runs so ingest's persistent sessions and queued readings survive a
// restart) and the private MariaDB and Redis it started when the machine had none. Only
// processes started from this checkout's .data folder are touched.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { dataDir, say } from "./lib/services.mjs";

const daemons = [
  { name: "Mosquitto", pidFile: path.join(dataDir, "mosquitto", "mosquitto.pid") },
  { name: "MariaDB", pidFile: path.join(dataDir, "mariadb", "mariadb.pid") },
  { name: "Redis", pidFile: path.join(dataDir, "redis", "redis.pid") },
];

/** The pid in `pidFile` when that process runs from this checkout's .data folder. */
function ownPid(pidFile) {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return commandLine.includes(dataDir) ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let stopped = 0;
for (const { name, pidFile } of daemons) {
  const pid = ownPid(pidFile);
  if (pid === null) continue;
  process.kill(pid, "SIGTERM");
  // A graceful stop: Mosquitto saves its sessions, MariaDB flushes; give them time.
  const deadline = Date.now() + 30_000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (isRunning(pid)) say(`${name} (pid ${pid}) did not stop within 30 s; stop it by hand: kill ${pid}`);
  else {
    say(`stopped ${name} (pid ${pid})`);
    stopped += 1;
  }
}
if (stopped === 0) say("nothing that npm start leaves running was running");
