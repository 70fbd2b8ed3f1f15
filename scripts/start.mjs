// `npm start`: install what is missing, make sure MySQL, Redis and the broker run, migrate,
// seed, then run the console, ingest and the simulator until Ctrl-C.
import path from "node:path";
import { startProcess, stopAll, waitForHttp } from "./lib/processes.mjs";
import {
  ensureBroker,
  ensureDependencies,
  ensureMysql,
  ensureRedis,
  localAuthSecret,
  root,
  run,
  say,
} from "./lib/services.mjs";

ensureDependencies();
const mysqlServer = await ensureMysql();
const redisUrl = await ensureRedis();
const mqttUrl = await ensureBroker();

const env = {
  DATABASE_URL: `${mysqlServer}rantai`,
  REDIS_URL: redisUrl,
  MQTT_URL: mqttUrl,
  AUTH_SECRET: localAuthSecret(),
  NEXTAUTH_URL: "http://localhost:3000",
  API_ALLOWED_ORIGINS: "http://localhost:8081",
  NEXT_TELEMETRY_DISABLED: "1",
};
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const withEnv = { env: { ...process.env, ...env } };

say(`database ${env.DATABASE_URL}, redis ${redisUrl}, broker ${mqttUrl}`);
run(tsx, ["packages/db/src/cli/migrate.ts"], withEnv);
run(tsx, ["packages/db/src/cli/seed.ts"], withEnv);

startProcess("ingest", tsx, ["apps/ingest/src/main.ts"], { env });
startProcess("web", path.join(root, "node_modules", ".bin", "next"), ["dev", "--port", "3000"], {
  env,
  cwd: path.join(root, "apps", "web"),
});
await waitForHttp("http://localhost:3000/login", "The console");
startProcess("simulator", tsx, ["apps/ingest/src/simulator/main.ts"], { env });
say(
  "Console: http://localhost:3000 — sign in with a demo account printed above (e.g. dinkes.sleman@demo.rantai.id / rantai-demo-2026). Ctrl-C stops everything.",
);

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
