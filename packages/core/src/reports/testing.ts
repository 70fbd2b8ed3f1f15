import { randomBytes } from "node:crypto";
import { batches, type Executor, items, type OrgUnit, stockBalances, stockConsumptionRates } from "@rantai/db";

/** Test helpers for reports: a vaccine, and a lot of it held by a store with a consumption rate. */
export async function createTestVaccine(db: Executor, code: string, dosesPerVial = 20): Promise<number> {
  const [{ id }] = (await db
    .insert(items)
    .values({
      code: `${code}-${randomBytes(3).toString("hex")}`,
      name: code,
      kind: "vaccine",
      dosesPerVial,
      freezeSensitive: false,
      vvmType: "VVM30",
      openVialPolicy: "keep_28_days",
    })
    .$returningId()) as [{ id: number }];
  return id;
}

/** A lot of `itemId` expiring `expiresInDays` from now, `quantity` doses of it held by `store`. */
export async function holdLot(
  db: Executor,
  store: OrgUnit,
  itemId: number,
  input: { quantity: number; expiresInDays: number; monthlyConsumption?: number },
) {
  const expiryDate = new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString().slice(0, 10);
  const [{ id: batchId }] = (await db
    .insert(batches)
    .values({ itemId, lotNumber: `L-${randomBytes(4).toString("hex")}`, expiryDate, manufacturer: "Bio Farma" })
    .$returningId()) as [{ id: number }];
  await db.insert(stockBalances).values({ orgUnitId: store.id, batchId, itemId, quantity: input.quantity });
  if (input.monthlyConsumption !== undefined) {
    await db
      .insert(stockConsumptionRates)
      .values({
        orgUnitId: store.id,
        itemId,
        averageMonthlyConsumption: input.monthlyConsumption,
        windowMonths: 3,
        computedAt: new Date(),
      })
      .onDuplicateKeyUpdate({ set: { averageMonthlyConsumption: input.monthlyConsumption } });
  }
}
