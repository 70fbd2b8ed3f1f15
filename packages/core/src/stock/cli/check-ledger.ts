/**
 * Compares every stock balance with its ledger and prints what differs.
 *   DATABASE_URL=mysql://… npx tsx packages/api/src/stock/cli/check-ledger.ts
 * Exits 0 when the ledger and balances agree, 1 when they do not, 2 when the check could not run.
 */
import { createDatabase } from "@rantai/db/client";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { checkLedger } from "../check-ledger";

const env = parseEnv(databaseEnv, process.env);
const handle = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
try {
  const report = await checkLedger(handle.db);
  console.log(
    `Checked ${report.balancesChecked} balances and ${report.entriesChecked} ledger entries: ${report.ok ? "all agree" : "MISMATCHES FOUND"}.`,
  );
  for (const m of report.mismatches) {
    console.log(
      `  balance mismatch: store ${m.orgUnitId}, lot ${m.batchId}: balance ${m.balance ?? "(missing)"}, ledger sum ${m.ledgerSum}`,
    );
  }
  for (const b of report.chainBreaks) {
    console.log(
      `  running balance broken at entry ${b.entryId} (store ${b.orgUnitId}, lot ${b.batchId}): balanceAfter ${b.balanceAfter}, running sum ${b.runningSum}`,
    );
  }
  if (report.negativeBalances > 0) console.log(`  ${report.negativeBalances} negative balances`);
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  console.error(`The ledger check could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
} finally {
  await handle.close();
}
