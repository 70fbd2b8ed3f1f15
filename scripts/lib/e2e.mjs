// End-to-end run: builds the console and the phone app's web build, starts them with ingest on
// a fresh seeded database, and drives them in chromium with Playwright.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { ensureConsoleBuild } from "./console-build.mjs";
import { startProcess, stopAll, waitForHttp } from "./processes.mjs";
import {
  brokerPaths,
  dataDir,
  mosquittoBinary,
  renderBrokerConfig,
  root,
  run,
  say,
  syncBrokerAuth,
  waitForPort,
} from "./services.mjs";

const bin = (name) => path.join(root, "node_modules", ".bin", name);
/** Days of seeded temperature history; the browser tests publish their own readings before it. */
const e2eHistoryDays = "4";

/**
 * E2E_PORT_OFFSET shifts every port and E2E_REDIS_URL replaces the Redis server, so two
 * checkouts can run their browser tests at once without meeting. `playwrightArgs` (spec files,
 * `--grep …`) pass through to Playwright.
 */
export async function runEndToEnd({ mysqlServer, redisUrl: defaultRedisUrl, playwrightArgs = [] }) {
  const offset = Number.parseInt(process.env.E2E_PORT_OFFSET ?? "0", 10) || 0;
  const ports = { web: 3100 + offset, mobile: 8100 + offset, ingest: 9465 + offset, broker: 1886 + offset };
  const redisUrl = process.env.E2E_REDIS_URL || defaultRedisUrl;
  const mqttUrl = `mqtt://127.0.0.1:${ports.broker}`;
  const databaseUrl = `${mysqlServer}rantai_e2e_${randomBytes(3).toString("hex")}`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    MQTT_URL: mqttUrl,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    NEXTAUTH_URL: `http://localhost:${ports.web}`,
    API_ALLOWED_ORIGINS: `http://localhost:${ports.mobile}`,
    NEXT_TELEMETRY_DISABLED: "1",
    EXPO_NO_TELEMETRY: "1",
    EXPO_PUBLIC_API_URL: `http://localhost:${ports.web}`,
    INGEST_HTTP_PORT: String(ports.ingest),
    INGEST_CLIENT_ID: "ingest-e2e",
    // This run's jobs only: the Redis database may hold an earlier run's (export ids start at 1 again).
    JOB_QUEUE_PREFIX: `rantai-e2e-${randomBytes(3).toString("hex")}`,
    CI: "1",
  };
  const withEnv = { env: { ...process.env, ...env } };

  say("e2e: building the console and the phone app's web build …");
  await ensureConsoleBuild(env);
  run("npm", ["run", "build", "-w", "@rantai/mobile"], withEnv);

  say(`e2e: migrating and seeding ${databaseUrl} …`);
  run(bin("tsx"), ["packages/db/src/cli/migrate.ts"], withEnv);
  // As `npm start` does: the temperature history goes through ingest's flush and the alarm engine,
  // so a new user finds real alarm history. Four days hold the demo's heat (Depok, still open),
  // freeze (Sewon, 76 h ago) and no-data (Srandakan, still open) episodes.
  run(bin("tsx"), ["packages/db/src/cli/seed.ts", "--without-readings", "--history-days", e2eHistoryDays], withEnv);
  run(bin("tsx"), ["packages/core/src/coldchain/cli/seed-readings.ts", "--history-days", e2eHistoryDays], withEnv);
  run(bin("tsx"), ["packages/core/src/distribution/cli/seed-requests.ts"], withEnv);
  // Months of stock in the overview and facility table read the stored consumption rates, as after `npm run db:seed`.
  run(bin("tsx"), ["packages/core/src/stock/cli/refresh-consumption-rates.ts"], withEnv);

  // A broker with no history: persistent sessions left by earlier runs would otherwise take
  // their share of the $share/ingest messages and hold them for a consumer that never returns.
  // It requires credentials like the real one: seeded devices sign in with their demo secret
  // (the browser test computes it with demoDeviceSecret), ingest with a service account.
  const brokerDir = path.join(dataDir, "mosquitto-e2e");
  rmSync(brokerDir, { recursive: true, force: true });
  const ingestPassword = randomBytes(24).toString("hex");
  syncBrokerAuth(brokerPaths(brokerDir), { databaseUrl, ingestPassword });

  let exitCode = 1;
  try {
    startProcess("broker", mosquittoBinary(), ["-c", renderBrokerConfig(ports.broker, brokerDir)], { quiet: true });
    await waitForPort(ports.broker, "Mosquitto");
    // Built as in production; imported late because the build needs esbuild from node_modules.
    const { buildIngest, ingestNodeArgs } = await import("../../apps/ingest/build.mjs");
    await buildIngest();
    startProcess("ingest", process.execPath, ingestNodeArgs("main"), {
      env: { ...env, MQTT_USERNAME: "ingest", MQTT_PASSWORD: ingestPassword },
      quiet: true,
    });
    const { buildWorker, workerNodeArgs } = await import("../../apps/worker/build.mjs");
    await buildWorker();
    startProcess("worker", process.execPath, workerNodeArgs(), { env, quiet: true });
    const web = startProcess("web", process.execPath, ["server.mjs", "--port", String(ports.web)], {
      env: { ...env, NODE_ENV: "production" },
      cwd: path.join(root, "apps", "web"),
      quiet: true,
    });
    startProcess("mobile", process.execPath, ["apps/mobile/scripts/serve-web.mjs", String(ports.mobile)], {
      env: { ...env, PORT: String(ports.mobile) },
      quiet: true,
    });
    await waitForHttp(`http://localhost:${ports.web}/login`, "The console");
    await waitForHttp(`http://localhost:${ports.mobile}/`, "The phone app's web build");
    await waitForHttp(`http://localhost:${ports.ingest}/ready`, "Ingest");
    const result = (await import("node:child_process")).spawnSync(
      bin("playwright"),
      ["test", "-c", "apps/web/playwright.config.ts", ...playwrightArgs],
      {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          ...env,
          E2E_WEB_URL: `http://localhost:${ports.web}`,
          E2E_MOBILE_URL: `http://localhost:${ports.mobile}`,
          E2E_WEB_PID: String(web.pid),
        },
      },
    );
    exitCode = result.status ?? 1;
  } finally {
    await stopAll();
    run(bin("tsx"), ["scripts/lib/drop-database.mts"], withEnv);
  }
  return exitCode;
}
