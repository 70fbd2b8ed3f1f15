import { batches, items, type Transaction } from "@rantai/db";
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "../kernel/errors";

export interface LotLabel {
  itemId: number;
  lotNumber: string;
  expiryDate: string;
  manufacturer: string;
  gtin?: string | undefined;
}

export interface ReceivedLot {
  batchId: number;
  itemId: number;
  itemName: string;
  dosesPerVial: number;
  lotNumber: string;
}

/**
 * The lot a receipt line names, created the first time any store receives it. A lot is unique
 * per item and lot number; a label that disagrees with the stored expiry or manufacturer is
 * refused rather than silently merged, because a wrong expiry date would mislead FEFO picking.
 */
export async function getOrCreateBatch(tx: Transaction, label: LotLabel): Promise<ReceivedLot> {
  const [item] = await tx
    .select({ id: items.id, name: items.name, dosesPerVial: items.dosesPerVial, active: items.active })
    .from(items)
    .where(eq(items.id, label.itemId))
    .limit(1);
  if (!item?.active) {
    throw new AppError(
      "stock.item_unknown",
      `There is no active item with id ${label.itemId}. Choose an item from the list.`,
    );
  }
  await tx
    .insert(batches)
    .values({
      itemId: label.itemId,
      lotNumber: label.lotNumber,
      expiryDate: label.expiryDate,
      manufacturer: label.manufacturer,
      gtin: label.gtin ?? null,
    })
    .onDuplicateKeyUpdate({ set: { itemId: sql`item_id` } });
  // A locking read (MariaDB has no FOR SHARE) sees a lot another transaction created after this one's snapshot.
  const [batch] = await tx
    .select()
    .from(batches)
    .where(and(eq(batches.itemId, label.itemId), eq(batches.lotNumber, label.lotNumber)))
    .for("update");
  if (!batch) throw new Error(`lot ${label.lotNumber} vanished after upsert`);
  const sameMaker = batch.manufacturer.trim().toLowerCase() === label.manufacturer.trim().toLowerCase();
  if (batch.expiryDate !== label.expiryDate || !sameMaker) {
    throw new AppError(
      "stock.lot_label_mismatch",
      `Lot ${label.lotNumber} of ${item.name} is already recorded with expiry ${batch.expiryDate} from ${batch.manufacturer}. Check the label; if it really differs, report it to your supervisor.`,
    );
  }
  return {
    batchId: batch.id,
    itemId: item.id,
    itemName: item.name,
    dosesPerVial: item.dosesPerVial,
    lotNumber: batch.lotNumber,
  };
}
