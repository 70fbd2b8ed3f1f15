// Runs one project task with the services it needs: `node scripts/run.mjs <task>`.
import path from "node:path";
import { ensureChromium } from "./lib/chromium.mjs";
import { runEndToEnd } from "./lib/e2e.mjs";
import {
  brokerPaths,
  dataDir,
  ensureBroker,
  ensureDependencies,
  ensureMysql,
  ensureRedis,
  fail,
  localBrokerIngestPassword,
  root,
  run,
  syncBrokerAuth,
} from "./lib/services.mjs";

const task = process.argv[2];
ensureDependencies();
const mysqlServer = await ensureMysql();
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const env = (extra) => ({
  env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? `${mysqlServer}rantai`, ...extra },
});

switch (task) {
  case "db:migrate":
    run(tsx, ["packages/db/src/cli/migrate.ts"], env());
    break;
  case "db:seed": {
    // `npm run db:seed -- --history-days N` or `-- --national [--scale F] [--seed N]`.
    const args = process.argv.slice(3);
    run(tsx, ["packages/db/src/cli/migrate.ts"], env());
    if (args.includes("--national")) {
      run(tsx, ["packages/db/src/cli/seed-national.ts", ...args.filter((arg) => arg !== "--national")], env());
      run(tsx, ["packages/core/src/stock/cli/refresh-consumption-rates.ts"], env());
      break;
    }
    // The demo world, then its temperature history through ingest's flush and the alarm engine.
    run(tsx, ["packages/db/src/cli/seed.ts", "--without-readings", ...args], env());
    run(tsx, ["packages/core/src/coldchain/cli/seed-readings.ts", ...args], env());
    // The demo puskesmas' open stock requests, made through the domain as the phone would.
    run(tsx, ["packages/core/src/distribution/cli/seed-requests.ts"], env());
    // Months of stock in the overview and facility table read the stored consumption rates.
    run(tsx, ["packages/core/src/stock/cli/refresh-consumption-rates.ts"], env());
    break;
  }
  case "stock:check":
    run(tsx, ["packages/core/src/stock/cli/check-ledger.ts"], env());
    break;
  case "stock:refresh-rates":
    run(tsx, ["packages/core/src/stock/cli/refresh-consumption-rates.ts"], env());
    break;
  case "simulate": {
    // The project's broker admits only registered devices: refresh its files from the database first.
    const databaseUrl = process.env.DATABASE_URL ?? `${mysqlServer}rantai`;
    syncBrokerAuth(brokerPaths(path.join(dataDir, "mosquitto")), {
      databaseUrl,
      ingestPassword: localBrokerIngestPassword(),
    });
    run(tsx, ["apps/ingest/src/simulator/main.ts"], env({ MQTT_URL: process.env.MQTT_URL ?? (await ensureBroker()) }));
    break;
  }
  case "test:integration": {
    const redisUrl = await ensureRedis();
    run("npx", ["vitest", "run", "--project", "integration"], {
      env: { ...process.env, TEST_MYSQL_URL: mysqlServer, TEST_REDIS_URL: redisUrl },
    });
    break;
  }
  case "test:e2e": {
    ensureChromium();
    const exitCode = await runEndToEnd({
      mysqlServer,
      redisUrl: await ensureRedis(),
      playwrightArgs: process.argv.slice(3),
    });
    if (exitCode !== 0) fail(`browser tests failed (exit ${exitCode})`);
    break;
  }
  default:
    fail(
      `Unknown task "${task}". Tasks: db:migrate, db:seed, stock:check, stock:refresh-rates, simulate, test:integration, test:e2e.`,
    );
}
