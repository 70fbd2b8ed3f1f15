import type { Database } from "@rantai/db";
import { sql } from "drizzle-orm";

/** A store × lot whose cached balance differs from the sum of its ledger entries. */
export type BalanceMismatch = { orgUnitId: number; batchId: number; balance: number | null; ledgerSum: number };

/** A ledger entry whose `balanceAfter` is not the running sum of its store × lot up to it. */
export type ChainBreak = {
  entryId: number;
  orgUnitId: number;
  batchId: number;
  balanceAfter: number;
  runningSum: number;
};

export interface LedgerCheck {
  ok: boolean;
  balancesChecked: number;
  entriesChecked: number;
  mismatches: BalanceMismatch[];
  chainBreaks: ChainBreak[];
  negativeBalances: number;
}

/**
 * Checks the ledger is the truth: every `stock_balances` row equals the sum of its ledger
 * entries (and no ledger group lacks a balance row), every `balanceAfter` is the running sum in
 * id order, and nothing is negative. All reads run in one transaction, so they see one
 * consistent snapshot even while movements are being written. Reports at most `limit` of each.
 */
export async function checkLedger(db: Database, limit = 1000): Promise<LedgerCheck> {
  return db.transaction(async (tx) => {
    const [counts] = rowsOf(
      await tx.execute(sql`
        SELECT (SELECT COUNT(*) FROM stock_balances) AS balances,
               (SELECT COUNT(*) FROM stock_ledger) AS entries,
               (SELECT COUNT(*) FROM stock_balances WHERE quantity < 0) AS negatives`),
    );
    const mismatches = rowsOf(
      await tx.execute(sql`
        SELECT b.org_unit_id, b.batch_id, b.quantity AS balance, COALESCE(s.total, 0) AS ledger_sum
        FROM stock_balances b
        LEFT JOIN (SELECT org_unit_id, batch_id, SUM(quantity) AS total FROM stock_ledger GROUP BY org_unit_id, batch_id) s
          ON s.org_unit_id = b.org_unit_id AND s.batch_id = b.batch_id
        WHERE b.quantity <> COALESCE(s.total, 0)
        UNION ALL
        SELECT s.org_unit_id, s.batch_id, NULL AS balance, s.total AS ledger_sum
        FROM (SELECT org_unit_id, batch_id, SUM(quantity) AS total FROM stock_ledger GROUP BY org_unit_id, batch_id) s
        LEFT JOIN stock_balances b ON b.org_unit_id = s.org_unit_id AND b.batch_id = s.batch_id
        WHERE b.org_unit_id IS NULL
        LIMIT ${limit}`),
    ).map((row) => ({
      orgUnitId: Number(row.org_unit_id),
      batchId: Number(row.batch_id),
      balance: row.balance === null ? null : Number(row.balance),
      ledgerSum: Number(row.ledger_sum),
    }));
    const chainBreaks = rowsOf(
      await tx.execute(sql`
        SELECT id, org_unit_id, batch_id, balance_after, running_sum FROM (
          SELECT id, org_unit_id, batch_id, balance_after,
                 SUM(quantity) OVER (PARTITION BY org_unit_id, batch_id ORDER BY id) AS running_sum
          FROM stock_ledger) t
        WHERE running_sum <> balance_after OR balance_after < 0
        ORDER BY id
        LIMIT ${limit}`),
    ).map((row) => ({
      entryId: Number(row.id),
      orgUnitId: Number(row.org_unit_id),
      batchId: Number(row.batch_id),
      balanceAfter: Number(row.balance_after),
      runningSum: Number(row.running_sum),
    }));
    const negativeBalances = Number(counts?.negatives ?? 0);
    return {
      ok: mismatches.length === 0 && chainBreaks.length === 0 && negativeBalances === 0,
      balancesChecked: Number(counts?.balances ?? 0),
      entriesChecked: Number(counts?.entries ?? 0),
      mismatches,
      chainBreaks,
      negativeBalances,
    };
  });
}

/** The rows of a raw SELECT run through drizzle's mysql2 driver (`[rows, fields]`). */
export function rowsOf(result: unknown): Record<string, unknown>[] {
  const rows: unknown = Array.isArray(result) ? result[0] : result;
  if (!Array.isArray(rows)) throw new Error("unexpected result from mysql2: no rows");
  return rows.filter((row): row is Record<string, unknown> => typeof row === "object" && row !== null);
}
