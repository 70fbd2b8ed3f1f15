import { batches, type Executor, items, stockBalances } from "@rantai/db";
import { and, asc, eq, gt } from "drizzle-orm";

export type StockAtRiskItem = {
  itemId: number;
  itemCode: string;
  itemName: string;
  freezeSensitive: boolean;
  vvmType: string;
  doses: number;
  batches: { batchId: number; lotNumber: string; expiryDate: string; vvmStage: number; doses: number }[];
};

/**
 * The doses a facility's fridge alarm puts at risk, for the cold-chain alarms: Rantai does not
 * record which fridge holds which lot, so all stock at the facility is at risk. Items are
 * flagged freeze-sensitive (a FREEZE alarm concerns those); every vaccine is heat-sensitive,
 * most of all those with a short VVM type (VVM2).
 */
export async function findStockAtRisk(db: Executor, facilityId: number) {
  const rows = await db
    .select({
      itemId: items.id,
      itemCode: items.code,
      itemName: items.name,
      freezeSensitive: items.freezeSensitive,
      vvmType: items.vvmType,
      batchId: batches.id,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      vvmStage: stockBalances.vvmStage,
      doses: stockBalances.quantity,
    })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(and(eq(stockBalances.orgUnitId, facilityId), gt(stockBalances.quantity, 0)))
    .orderBy(asc(items.code), asc(batches.expiryDate));
  const byItem = new Map<number, StockAtRiskItem>();
  for (const { batchId, lotNumber, expiryDate, vvmStage, doses, ...item } of rows) {
    const entry = byItem.get(item.itemId) ?? { ...item, doses: 0, batches: [] };
    entry.doses += doses;
    entry.batches.push({ batchId, lotNumber, expiryDate, vvmStage, doses });
    byItem.set(item.itemId, entry);
  }
  const atRisk = [...byItem.values()];
  const total = (list: StockAtRiskItem[]) => list.reduce((sum, item) => sum + item.doses, 0);
  return {
    facilityId,
    items: atRisk,
    totalDoses: total(atRisk),
    freezeSensitiveDoses: total(atRisk.filter((item) => item.freezeSensitive)),
  };
}
