import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { stockBalances, stockLedger } from "@rantai/db";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("./check-ledger.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../../../node_modules/.bin/tsx", import.meta.url));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "ledger_cli");
  // One receipt of 100 doses, written as the ledger code would write it.
  await database.db.insert(stockLedger).values({
    orgUnitId: 1,
    itemId: 1,
    batchId: 1,
    movementType: "receipt",
    quantity: 100,
    balanceAfter: 100,
    idempotencyKey: "cli-test",
    occurredAt: new Date(),
  });
  await database.db.insert(stockBalances).values({ orgUnitId: 1, batchId: 1, itemId: 1, quantity: 100 });
});
afterAll(async () => {
  await database?.destroy();
});

async function checkLedgerCli(): Promise<{ code: number; output: string }> {
  const env = { ...process.env, DATABASE_URL: database.url };
  return run(tsx, [cli], { env }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, output: error.stdout ?? "" }),
  );
}

describe("check-ledger CLI", () => {
  it("exits 0 when balances agree with the ledger, 1 with the mismatch printed when they do not", async () => {
    const clean = await checkLedgerCli();
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.output).toContain("all agree");

    await database.db.update(stockBalances).set({ quantity: 90 });
    const broken = await checkLedgerCli();
    expect(broken.code).toBe(1);
    expect(broken.output).toContain("store 1, lot 1: balance 90, ledger sum 100");
  });
});
