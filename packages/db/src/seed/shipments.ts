import { and, asc, desc, eq, gt, gte, sql } from "drizzle-orm";
import type { Database } from "../client";
import { batches, shipmentLines, shipments, stockBalances, stockLedger, users } from "../schema";
import type { SeededItem } from "./items";
import type { SeededOrgUnit } from "./org-units";

/** The province store that ships and the district store that finds the shipment in transit. */
export const DEMO_SHIPMENT = {
  senderCode: "34",
  receiverCode: "34.04",
  senderEmail: "provinsi.diy@demo.rantai.id",
  idempotencyKey: "seed:shipment:34.04:in-transit",
  /** Vaccines shipped (by item code, when the catalogue has them) and vials of each. */
  itemCodes: ["BCG", "DPT-HB-HIB", "MR"],
  vials: 40,
} as const;

/**
 * One shipment the province has dispatched to Sleman's district store and that is still in
 * transit, so a newcomer finds something to receive on the district store page. Written as
 * dispatch writes it: the province's stock leaves (transfer_out, guarded) in the transaction
 * that records the shipment and its lines. Skipped when it exists already.
 */
export async function seedInTransitShipment(
  db: Database,
  units: ReadonlyMap<string, SeededOrgUnit>,
  itemList: readonly SeededItem[],
  now: Date,
): Promise<number> {
  const sender = units.get(DEMO_SHIPMENT.senderCode);
  const receiver = units.get(DEMO_SHIPMENT.receiverCode);
  if (!sender || !receiver) return 0;
  const [dispatcher] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_SHIPMENT.senderEmail))
    .limit(1);
  if (!dispatcher) return 0;
  const wanted: readonly string[] = DEMO_SHIPMENT.itemCodes;
  const vaccines = itemList.filter((item) => item.kind === "vaccine");
  const chosen = vaccines.filter((item) => wanted.includes(item.code));
  const shipped = chosen.length > 0 ? chosen : vaccines.slice(0, 2);
  const dispatchedAt = new Date(now.getTime() - 20 * 3_600_000);
  const today = now.toISOString().slice(0, 10);

  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: shipments.id })
      .from(shipments)
      .where(eq(shipments.idempotencyKey, DEMO_SHIPMENT.idempotencyKey));
    if (existing) return 0;
    const [created] = await tx
      .insert(shipments)
      .values({
        senderOrgUnitId: sender.id,
        receiverOrgUnitId: receiver.id,
        status: "dispatched",
        idempotencyKey: DEMO_SHIPMENT.idempotencyKey,
        createdBy: dispatcher.id,
        dispatchedBy: dispatcher.id,
        dispatchedAt,
      })
      .$returningId();
    if (!created) throw new Error("the demo shipment was not created");
    let lines = 0;
    for (const item of shipped) {
      // The province's unexpired lot of the item with the most stock, latest expiry first.
      const [lot] = await tx
        .select({ batchId: stockBalances.batchId, quantity: stockBalances.quantity })
        .from(stockBalances)
        .innerJoin(batches, eq(batches.id, stockBalances.batchId))
        .where(
          and(
            eq(stockBalances.orgUnitId, sender.id),
            eq(stockBalances.itemId, item.id),
            gt(stockBalances.quantity, 0),
            gte(batches.expiryDate, today),
          ),
        )
        .orderBy(desc(batches.expiryDate), asc(stockBalances.batchId))
        .limit(1)
        .for("update");
      if (!lot) continue;
      const doses = Math.min(DEMO_SHIPMENT.vials, Math.floor(lot.quantity / item.dosesPerVial)) * item.dosesPerVial;
      if (doses <= 0) continue;
      await tx
        .update(stockBalances)
        .set({ quantity: sql`${stockBalances.quantity} - ${doses}` })
        .where(
          and(
            eq(stockBalances.orgUnitId, sender.id),
            eq(stockBalances.batchId, lot.batchId),
            gte(stockBalances.quantity, doses),
          ),
        );
      await tx.insert(stockLedger).values({
        orgUnitId: sender.id,
        itemId: item.id,
        batchId: lot.batchId,
        movementType: "transfer_out",
        quantity: -doses,
        balanceAfter: lot.quantity - doses,
        counterpartyOrgUnitId: receiver.id,
        counterpartyName: receiver.name,
        reference: `shipment:${created.id}`,
        shipmentId: created.id,
        vvmStage: 1,
        idempotencyKey: DEMO_SHIPMENT.idempotencyKey,
        occurredAt: dispatchedAt,
        userId: dispatcher.id,
        note: "Data demo (seed)",
      });
      await tx
        .insert(shipmentLines)
        .values({ shipmentId: created.id, itemId: item.id, batchId: lot.batchId, quantity: doses, vvmStage: 1 });
      lines++;
    }
    return lines;
  });
}
