// `npm start`: install what is missing, make sure MySQL, Redis and the broker run, migrate,
// seed, build the console for production if its sources changed, then run the console
// (`next start`), ingest, the worker and the simulator until Ctrl-C. `npm run dev` (`--dev`) runs the
// console's development server (`next dev`, hot reload) instead, with everything else the same.
import path from "node:path";
import { ensureConsoleBuild } from "./lib/console-build.mjs";
import { startProcess, stopAll, waitForHttp } from "./lib/processes.mjs";
import {
  brokerPaths,
  dataDir,
  ensureBroker,
  ensureDependencies,
  ensureMysql,
  ensureRedis,
  localAuthSecret,
  localBrokerIngestPassword,
  root,
  run,
  say,
  syncBrokerAuth,
} from "./lib/services.mjs";

const development = process.argv.includes("--dev");

// Registered before anything starts, so Ctrl-C during the build or start-up also stops what
// has already been started (children run in their own process groups and would outlive us).
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    say("stopping …");
    await stopAll();
    process.exit(0);
  });
}

ensureDependencies();
const mysqlServer = await ensureMysql();
const redisUrl = await ensureRedis();

const env = {
  DATABASE_URL: `${mysqlServer}rantai`,
  REDIS_URL: redisUrl,
  AUTH_SECRET: localAuthSecret(),
  NEXTAUTH_URL: "http://localhost:3000",
  API_ALLOWED_ORIGINS: "http://localhost:8081",
  NEXT_TELEMETRY_DISABLED: "1",
};
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const withEnv = { env: { ...process.env, ...env } };

say(`database ${env.DATABASE_URL}, redis ${redisUrl}`);
run(tsx, ["packages/db/src/cli/migrate.ts"], withEnv);
run(tsx, ["packages/db/src/cli/seed.ts", "--without-readings"], withEnv);
// The seeded temperature history goes through ingest's flush and the alarm engine (real alarms).
run(tsx, ["packages/core/src/coldchain/cli/seed-readings.ts"], withEnv);
run(tsx, ["packages/core/src/distribution/cli/seed-requests.ts"], withEnv);
// Months of stock in the overview and facility table read the stored consumption rates.
run(tsx, ["packages/core/src/stock/cli/refresh-consumption-rates.ts"], withEnv);

if (!development) {
  try {
    await ensureConsoleBuild(env);
  } catch (error) {
    // Ctrl-C interrupts the build too; the signal handler is already stopping everything.
    if (stopping) await new Promise(() => {});
    throw error;
  }
}

// The broker admits only registered devices and the ingest service account: write its password
// and ACL files from the database before (re)starting it, then keep them current.
const ingestPassword = localBrokerIngestPassword();
const brokerAuthEnv = syncBrokerAuth(brokerPaths(path.join(dataDir, "mosquitto")), {
  databaseUrl: env.DATABASE_URL,
  ingestPassword,
});
env.MQTT_URL = await ensureBroker();
say(`broker ${env.MQTT_URL} (devices and ingest sign in; files under .data/mosquitto/)`);

startProcess("broker-auth", tsx, ["apps/ingest/src/broker-auth/main.ts", "--watch"], { env: brokerAuthEnv });
// Ingest runs as in production: bundled to JavaScript, with its V8 flags. Imported here, after
// ensureDependencies(), because the build needs esbuild from node_modules.
const { buildIngest, ingestNodeArgs } = await import("../apps/ingest/build.mjs");
await buildIngest();
startProcess("ingest", process.execPath, ingestNodeArgs("main"), {
  env: { ...env, MQTT_USERNAME: "ingest", MQTT_PASSWORD: ingestPassword },
});
// The background worker (report exports), bundled like ingest.
const { buildWorker, workerNodeArgs } = await import("../apps/worker/build.mjs");
await buildWorker();
startProcess("worker", process.execPath, workerNodeArgs(), { env });
// Production: the console's own server (apps/web/server.mjs), which tells the API the peer address.
startProcess(
  "web",
  development ? path.join(root, "node_modules", ".bin", "next") : process.execPath,
  development ? ["dev", "--port", "3000"] : ["server.mjs", "--port", "3000"],
  {
    env: development ? env : { ...env, NODE_ENV: "production" },
    cwd: path.join(root, "apps", "web"),
  },
);
await waitForHttp("http://localhost:3000/login", "The console");
// Each simulated device signs in as its deviceId with its demo secret (see the seed).
startProcess("simulator", tsx, ["apps/ingest/src/simulator/main.ts"], { env });
say(
  `Console (${development ? "development server" : "production build"}): http://localhost:3000 — sign in with a demo account printed above (e.g. dinkes.sleman@demo.rantai.id / rantai-demo-2026). Ctrl-C stops the console, ingest, the worker and the simulator; the broker keeps running for the next start (npm run stop stops it).`,
);
