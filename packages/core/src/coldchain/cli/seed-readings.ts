/**
 * `npm run db:seed`, after the db seed: the demo's temperature history replayed through ingest's
 * flush and the alarm engine (see ../demo-history.ts). Safe to run again: a rerun adds nothing
 * but the readings of the time since the last run.
 *   DATABASE_URL=mysql://… npx tsx packages/core/src/coldchain/cli/seed-readings.ts [--history-days N]
 */
import { parseArgs } from "node:util";
import { createDatabase } from "@rantai/db/client";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { replayDemoHistory } from "../demo-history";

const env = parseEnv(databaseEnv, process.env);
const { values } = parseArgs({ options: { "history-days": { type: "string" } } });
const historyDays = values["history-days"] === undefined ? undefined : Number(values["history-days"]);

const handle = createDatabase({ url: env.DATABASE_URL, poolSize: 2 });
try {
  const summary = await replayDemoHistory(handle.db, { historyDays, log: (line) => console.log(`  ${line}`) });
  console.log(
    [
      `Temperature history replayed through ingest and the alarm engine in ${(summary.durationMs / 1000).toFixed(1)} s:`,
      `  ${summary.readings} readings of ${summary.sensors} sensors in ${summary.flushes} flushes;`,
      `  alarms opened ${summary.alarmsOpened} (+ ${summary.noDataOpened} no data), resolved ${summary.alarmsResolved}.`,
    ].join("\n"),
  );
} finally {
  await handle.close();
}
