import { type Executor, items, type OrgUnit } from "@rantai/db";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { ZIdSchema } from "../kernel/schemas";
import { findTimeZoneOfPath } from "../orgs/province";
import { utcOffsetHours } from "../orgs/time-zones";
import { findMonthlyMovementTotals, tallyMovements } from "./consumption";

export const ZConsumptionTrendSchema = z.strictObject({
  orgUnitId: ZIdSchema,
  /** Calendar months shown, the current one included. */
  months: z.number().int().min(1).max(12).default(6),
});
export type TConsumptionTrend = z.infer<typeof ZConsumptionTrendSchema>;

/** "2026-11" for the month `monthsBack` before the one `now` falls in, on a clock `offsetHours` ahead of UTC. */
function monthKeys(now: Date, months: number, offsetHours: number) {
  const local = new Date(now.getTime() + offsetHours * 3_600_000);
  const keys: string[] = [];
  for (let back = months - 1; back >= 0; back -= 1) {
    const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
    keys.push(`${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  const first = keys[0] ?? "";
  const start = new Date(`${first}-01T00:00:00Z`).getTime() - offsetHours * 3_600_000;
  return { keys, start: new Date(start) };
}

/**
 * A store's consumption and wastage per calendar month (on its province's clock) and item, the
 * current month included: consumed doses as the AMC counts them (usage, issues, less returns
 * received), doses given, and doses wasted (opened but not given, and closed vials discarded).
 */
export async function findConsumptionTrend(db: Executor, store: OrgUnit, months: number, now = new Date()) {
  const zone = await findTimeZoneOfPath(db, store.path);
  const { keys, start } = monthKeys(now, months, utcOffsetHours[zone.abbreviation]);
  const totals = await findMonthlyMovementTotals(db, store.id, start, utcOffsetHours[zone.abbreviation]);
  const itemIds = [...new Set(totals.map((total) => total.itemId))];
  const itemRows =
    itemIds.length === 0
      ? []
      : await db
          .select({ id: items.id, code: items.code, name: items.name })
          .from(items)
          .where(inArray(items.id, itemIds));
  const itemsShown = itemRows
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((item) => ({
      itemId: item.id,
      code: item.code,
      name: item.name,
      months: keys.map((month) => {
        const tally = tallyMovements(totals.filter((t) => t.itemId === item.id && t.month === month)).get(item.id);
        const dosesUsed = tally?.dosesUsed ?? 0;
        const dosesAdministered = tally?.dosesAdministered ?? 0;
        return {
          month,
          consumedDoses: tally?.consumedDoses ?? 0,
          dosesAdministered,
          wastedDoses: Math.max(0, dosesUsed - dosesAdministered) + (tally?.closedVialDosesDiscarded ?? 0),
        };
      }),
    }));
  return { orgUnitId: store.id, months: keys, items: itemsShown };
}
