import { randomBytes } from "node:crypto";
import {
  batches,
  type Executor,
  items,
  type MovementType,
  type OrgUnit,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
} from "@rantai/db";
import { and, eq } from "drizzle-orm";

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

/** A lot of `itemId` expiring on `expiryDate` (YYYY-MM-DD), with no stock yet. */
export async function createTestLot(db: Executor, itemId: number, expiryDate: string): Promise<number> {
  const [{ id }] = (await db
    .insert(batches)
    .values({ itemId, lotNumber: `L-${randomBytes(4).toString("hex")}`, expiryDate, manufacturer: "Bio Farma" })
    .$returningId()) as [{ id: number }];
  return id;
}

export interface TestMovement {
  store: OrgUnit;
  itemId: number;
  batchId: number;
  type: MovementType;
  /** Signed doses. */
  quantity: number;
  at: Date;
  dosesAdministered?: number;
  reason?: string;
  reversesEntryId?: number;
  vvmStage?: number;
}

/**
 * One ledger entry with the balance it leaves, and the balance row moved with it, as the stock
 * module writes them (movements are recorded in the order given; the ledger check holds).
 */
export async function recordTestMovement(db: Executor, movement: TestMovement): Promise<number> {
  const [current] = await db
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, movement.store.id), eq(stockBalances.batchId, movement.batchId)));
  const balanceAfter = (current?.quantity ?? 0) + movement.quantity;
  const [{ id }] = (await db
    .insert(stockLedger)
    .values({
      orgUnitId: movement.store.id,
      itemId: movement.itemId,
      batchId: movement.batchId,
      movementType: movement.type,
      quantity: movement.quantity,
      balanceAfter,
      dosesAdministered: movement.dosesAdministered ?? null,
      reason: movement.reason ?? null,
      reversesEntryId: movement.reversesEntryId ?? null,
      idempotencyKey: randomBytes(12).toString("hex"),
      occurredAt: movement.at,
    })
    .$returningId()) as [{ id: number }];
  await db
    .insert(stockBalances)
    .values({
      orgUnitId: movement.store.id,
      batchId: movement.batchId,
      itemId: movement.itemId,
      quantity: balanceAfter,
      vvmStage: movement.vvmStage ?? 1,
    })
    .onDuplicateKeyUpdate({ set: { quantity: balanceAfter } });
  return id;
}
