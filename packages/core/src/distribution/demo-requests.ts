import { type Database, orgUnits, stockRequests, users } from "@rantai/db";
import { demoAccounts } from "@rantai/db/seed";
import { eq, inArray } from "drizzle-orm";
import { findActiveActor } from "../auth/actor";
import { getStockSummary } from "../stock/summary";
import { createRequest, REQUEST_AMC_MONTHS } from "./requests";

/** One fixed key per demo puskesmas, so a rerun finds its request instead of asking again. */
const demoRequestKeys: Readonly<Record<string, string>> = {
  "pkm.depok@demo.rantai.id": "6f1d3a52-8c4e-4b7a-9d21-0a5c7e3b9f10",
  "pkm.sewon@demo.rantai.id": "0b9e27c4-3f61-4d8a-a5c2-7e14d9b0c632",
};

/**
 * The demo's open requests: each demo puskesmas account asks its district store for stock
 * through `createRequest`, as the phone would, so a district officer finds a request waiting on
 * first sign-in. It asks for the usual suggestion (items at or below their minimum), or, when
 * nothing is that low, tops up to the maximum the items it uses that are below it.
 */
export async function seedDemoRequests(db: Database): Promise<{ created: number }> {
  const emails = demoAccounts.filter((account) => account.role === "facility_staff").map((account) => account.email);
  const staff = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
  let created = 0;
  for (const user of staff) {
    const idempotencyKey = demoRequestKeys[user.email];
    if (!idempotencyKey) continue;
    const [existing] = await db
      .select({ id: stockRequests.id })
      .from(stockRequests)
      .where(eq(stockRequests.idempotencyKey, idempotencyKey));
    const actor = await findActiveActor(db, user.id);
    if (existing || !actor) continue;
    const [requester] = await db.select().from(orgUnits).where(eq(orgUnits.id, actor.orgUnitId));
    if (!requester) continue;
    // The same figures createRequest reads (now, the same window), so the choice below matches its own.
    const summary = await getStockSummary(db, requester, REQUEST_AMC_MONTHS);
    const suggested = summary.items.some((item) => item.suggestedOrderDoses > 0);
    const topUps = summary.items
      .map((item) => {
        const missing = item.maxMonths * item.averageMonthlyConsumption - item.usableStock;
        const perVial = Math.max(1, item.dosesPerVial);
        return { itemId: item.itemId, requestedDoses: Math.ceil(missing / perVial) * perVial };
      })
      .filter((line) => line.requestedDoses > 0)
      .slice(0, 3);
    if (!suggested && topUps.length === 0) continue;
    const ctx = { db, actor, meta: { requestId: "demo-seed", ip: null, userAgent: null } };
    await createRequest(ctx, requester, {
      idempotencyKey,
      requesterOrgUnitId: requester.id,
      ...(suggested ? {} : { lines: topUps }),
    });
    created += 1;
  }
  return { created };
}
