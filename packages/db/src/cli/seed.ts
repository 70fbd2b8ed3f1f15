import { parseArgs } from "node:util";
import { createDatabase } from "../client";
import { databaseEnv, parseEnv } from "../env";
import { DEMO_PASSWORD, formatSummary, formatTable, seedDemoWorld } from "../seed";

/*
 * `npm run db:seed`: fills an already migrated database with the demo world. Safe to run again:
 * a rerun adds nothing (only readings up to the new "now" when time has passed).
 * Optional: --history-days N (default 7); --without-readings leaves the temperature history to
 * core's `coldchain/cli/seed-readings.ts`, which replays it through the alarm engine (what
 * `npm run db:seed` and `npm start` do).
 */
const env = parseEnv(databaseEnv, process.env);
const { values } = parseArgs({
  options: { "history-days": { type: "string" }, "without-readings": { type: "boolean", default: false } },
});
const historyDays = values["history-days"] === undefined ? undefined : Number(values["history-days"]);

const handle = createDatabase({ url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE });
try {
  const summary = await seedDemoWorld(handle.db, {
    historyDays,
    writeReadings: !values["without-readings"],
    log: (line) => console.log(`  ${line}`),
  });
  console.log(["", ...formatSummary(summary)].join("\n"));
  const accounts = formatTable([
    ["role", "email", "password", "org unit"],
    ...summary.accounts.map((account) => [
      account.role,
      account.email,
      DEMO_PASSWORD,
      `${account.orgUnitName} (${account.orgUnitCode})`,
    ]),
  ]);
  console.log(["", "Demo accounts:", ...accounts].join("\n"));
} finally {
  await handle.close();
}
