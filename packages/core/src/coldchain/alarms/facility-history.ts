import type { Executor } from "@rantai/db";
import { z } from "zod";
import { findUsableStockAt } from "../../stock/at-risk";
import { findAlarms } from "./queries";
import { selectStockAtRisk } from "./stock-at-risk";

export const ZAlarmHistorySchema = z.strictObject({
  /** A facility (or a district or province) in the caller's scope. */
  orgUnitId: z.number().int().positive(),
  /** Each alarm reads the stock of its facility as it stood, so pages stay small. */
  limit: z.number().int().min(1).max(20).default(10),
  /** The last alarm id of the previous page (newest first). */
  cursor: z.number().int().positive().optional(),
});
export type TAlarmHistory = z.infer<typeof ZAlarmHistorySchema>;

/**
 * Every alarm under a scope path (live, resolved, retracted), newest first, each with the stock
 * it put at risk: the facility's usable stock as it stood when the alarm started (stock context's
 * rule, the same figure the alarm view gives for a live alarm), threatened as the alarm's type says.
 */
export async function findAlarmHistory(
  db: Executor,
  scopePath: string,
  page: { limit: number; cursor?: number | undefined },
) {
  const { items, nextCursor } = await findAlarms(db, scopePath, { ...page, status: "all" });
  const withStock = [];
  // One ledger read per alarm, one after another: a page is at most 20 and shares the pool.
  for (const alarm of items) {
    const stock = await findUsableStockAt(db, alarm.facility.id, alarm.startedAt);
    withStock.push({ ...alarm, stockAtRisk: selectStockAtRisk(alarm.facility.id, alarm.type, stock) });
  }
  return { items: withStock, nextCursor };
}
