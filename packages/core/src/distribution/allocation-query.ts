import { batches, type Executor, items, stockBalances } from "@rantai/db";
import { and, eq, gt, inArray } from "drizzle-orm";
import { z } from "zod";
import { hasDistinct, MAX_LINE_DOSES, ZIdSchema } from "../kernel/schemas";
import { type Allocation, proposeAllocation } from "./allocation";

export const ZProposeAllocationSchema = z.strictObject({
  senderOrgUnitId: ZIdSchema.optional(),
  lines: z
    .array(z.strictObject({ itemId: ZIdSchema, doses: z.number().int().positive().max(MAX_LINE_DOSES) }))
    .min(1)
    .max(50)
    .refine(hasDistinct("itemId"), { error: "each item may appear only once" }),
});
export type TProposeAllocation = z.infer<typeof ZProposeAllocationSchema>;

/** Proposes which of a store's lots to ship for the doses wanted (VVM stage, then FEFO); the user may edit it. */
export async function findProposedAllocation(
  db: Executor,
  senderId: number,
  input: TProposeAllocation,
  now = new Date(),
): Promise<Allocation> {
  const lots = await db
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
      and(
        eq(stockBalances.orgUnitId, senderId),
        inArray(
          stockBalances.itemId,
          input.lines.map((line) => line.itemId),
        ),
        gt(stockBalances.quantity, 0),
      ),
    );
  return proposeAllocation(lots, input.lines, now);
}
