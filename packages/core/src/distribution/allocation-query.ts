import { batches, type Executor, items, stockBalances } from "@rantai/db";
import { and, eq, gt, inArray } from "drizzle-orm";
import { z } from "zod";
import { hasDistinct, MAX_LINE_DOSES, ZIdSchema } from "../kernel/schemas";
import { type AllocatableLot, type Allocation, proposeAllocation } from "./allocation";

const ZDemandLinesSchema = z
  .array(z.strictObject({ itemId: ZIdSchema, doses: z.number().int().positive().max(MAX_LINE_DOSES) }))
  .min(1)
  .max(50)
  .refine(hasDistinct("itemId"), { error: "each item may appear only once" });

export const ZProposeAllocationSchema = z.strictObject({
  senderOrgUnitId: ZIdSchema.optional(),
  lines: ZDemandLinesSchema,
});
export type TProposeAllocation = z.infer<typeof ZProposeAllocationSchema>;

/** Proposes which of a store's lots to ship for the doses wanted (VVM stage, then FEFO); the user may edit it. */
export async function findProposedAllocation(
  db: Executor,
  senderId: number,
  input: TProposeAllocation,
  now = new Date(),
): Promise<Allocation> {
  const lots = await findAllocatableLots(
    db,
    senderId,
    input.lines.map((line) => line.itemId),
  );
  return proposeAllocation(lots, input.lines, now);
}

export const ZProposePushAllocationSchema = z.strictObject({
  senderOrgUnitId: ZIdSchema.optional(),
  shipments: z
    .array(z.strictObject({ receiverOrgUnitId: ZIdSchema, lines: ZDemandLinesSchema }))
    .min(1)
    .max(100)
    .refine(hasDistinct("receiverOrgUnitId"), { error: "each receiving store may appear only once" }),
});
export type TProposePushAllocation = z.infer<typeof ZProposePushAllocationSchema>;

export type PushAllocationProposal = { shipments: (Allocation & { receiverOrgUnitId: number })[] };

/**
 * Proposes the lots for a push allocation to many stores at once: receivers are served in the
 * order given, each from what the ones before it left (VVM stage, then FEFO, as for one
 * shipment), so the proposal never gives the same doses twice. Only the sender's stock is read;
 * the receivers are checked when the allocation is made.
 */
export async function findProposedPushAllocation(
  db: Executor,
  senderId: number,
  input: TProposePushAllocation,
  now = new Date(),
): Promise<PushAllocationProposal> {
  const itemIds = [...new Set(input.shipments.flatMap((planned) => planned.lines.map((line) => line.itemId)))];
  const lots = await findAllocatableLots(db, senderId, itemIds);
  const taken = new Map<number, number>();
  const shipments: PushAllocationProposal["shipments"] = [];
  for (const planned of input.shipments) {
    const left = lots.map((lot) => ({ ...lot, availableDoses: lot.availableDoses - (taken.get(lot.batchId) ?? 0) }));
    const allocation = proposeAllocation(left, planned.lines, now);
    for (const line of allocation.lines) taken.set(line.batchId, (taken.get(line.batchId) ?? 0) + line.doses);
    shipments.push({ receiverOrgUnitId: planned.receiverOrgUnitId, ...allocation });
  }
  return { shipments };
}

async function findAllocatableLots(db: Executor, senderId: number, itemIds: number[]): Promise<AllocatableLot[]> {
  return db
    .select({
      batchId: stockBalances.batchId,
      itemId: stockBalances.itemId,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      vvmStage: stockBalances.vvmStage,
      availableDoses: stockBalances.quantity,
      dosesPerVial: items.dosesPerVial,
    })
    .from(stockBalances)
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .where(
      and(eq(stockBalances.orgUnitId, senderId), inArray(stockBalances.itemId, itemIds), gt(stockBalances.quantity, 0)),
    );
}
