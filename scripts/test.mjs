// `npm test`: the whole suite on real services — lint, types, unit and integration tests
// (vitest, each test file on its own database), then the browser tests (Playwright + chromium).
import { ensureChromium } from "./lib/chromium.mjs";
import { runEndToEnd } from "./lib/e2e.mjs";
import { ensureDependencies, ensureMysql, ensureRedis, fail, run, say } from "./lib/services.mjs";

const started = Date.now();
const step = (name) => say(`── ${name} (${Math.round((Date.now() - started) / 1000)} s)`);

ensureDependencies();
ensureChromium();
const mysqlServer = await ensureMysql();
const redisUrl = await ensureRedis();

step("lint");
run("npx", ["biome", "ci", "."]);

step("typecheck");
run("npx", ["turbo", "run", "typecheck", "--concurrency=2", "--output-logs=errors-only"], {
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" },
});

step("unit and integration tests");
run("npx", ["vitest", "run"], {
  env: { ...process.env, TEST_MYSQL_URL: mysqlServer, TEST_REDIS_URL: redisUrl },
});

step("browser tests");
const e2eExit = await runEndToEnd({ mysqlServer, redisUrl });
if (e2eExit !== 0) fail(`browser tests failed (exit ${e2eExit})`);

say(`all tests passed in ${Math.round((Date.now() - started) / 1000)} s`);
