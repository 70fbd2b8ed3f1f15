import { type AlarmType, batches, type Executor, items, stockBalances, type vvmTypes } from "@rantai/db";
import { and, asc, eq, gt, inArray } from "drizzle-orm";

/**
 * The stock an alarm threatens. Rantai does not record which fridge holds which lot, so every
 * positive balance at the alarm's facility counts; which items are threatened depends on the
 * alarm type:
 * - FREEZE: freeze-sensitive items (vaccines and diluents).
 * - HEAT, EXCURSION, NO_DATA (temperature unknown): every vaccine; those with a short VVM
 *   (VVM2 — OPV —, VVM7, VVM14) are flagged heat-sensitive and listed first.
 * - LOW_BATTERY: nothing yet (a warning about the monitoring, not the temperature).
 * Queried straight from stock_balances ⨝ batches ⨝ items, independent of the stock module.
 */

type VvmType = (typeof vvmTypes)[number];

/** Most heat-sensitive first: days to the discard point at +37 °C (WHO/V&B/02.35). */
const vvmOrder: Record<VvmType, number> = { VVM2: 0, VVM7: 1, VVM14: 2, VVM30: 3, none: 4 };
const heatSensitiveVvm: ReadonlySet<VvmType> = new Set(["VVM2", "VVM7", "VVM14"]);

export interface StockBatch {
  batchId: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  doses: number;
}

export interface StockItem {
  itemId: number;
  code: string;
  name: string;
  kind: string;
  freezeSensitive: boolean;
  /** Short VVM type: loses potency fastest in heat. */
  heatSensitive: boolean;
  vvmType: VvmType;
  storageMinC: number | null;
  storageMaxC: number | null;
  doses: number;
  batches: StockBatch[];
}

export interface StockAtRisk {
  facilityId: number;
  alarmType: AlarmType;
  totalDoses: number;
  items: StockItem[];
}

/** Whether an alarm of this type threatens an item. */
export function isThreatened(type: AlarmType, item: Pick<StockItem, "kind" | "freezeSensitive">): boolean {
  switch (type) {
    case "freeze":
      return item.freezeSensitive;
    case "heat":
    case "excursion":
    case "no_data":
      return item.kind === "vaccine";
    case "low_battery":
      return false;
  }
}

/** Positive balances of the facilities, grouped by item (one query for all of them). */
export async function findFacilityStock(
  db: Executor,
  facilityIds: readonly number[],
): Promise<Map<number, StockItem[]>> {
  const byFacility = new Map<number, Map<number, StockItem>>();
  if (facilityIds.length === 0) return new Map();
  const rows = await db
    .select({
      facilityId: stockBalances.orgUnitId,
      itemId: items.id,
      code: items.code,
      name: items.name,
      kind: items.kind,
      freezeSensitive: items.freezeSensitive,
      vvmType: items.vvmType,
      storageMinC: items.storageMinC,
      storageMaxC: items.storageMaxC,
      batchId: batches.id,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      vvmStage: stockBalances.vvmStage,
      doses: stockBalances.quantity,
    })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(and(inArray(stockBalances.orgUnitId, [...new Set(facilityIds)]), gt(stockBalances.quantity, 0)))
    .orderBy(asc(items.code), asc(batches.expiryDate), asc(batches.id));
  for (const { facilityId, batchId, lotNumber, expiryDate, vvmStage, doses, ...item } of rows) {
    const facility = byFacility.get(facilityId) ?? new Map<number, StockItem>();
    byFacility.set(facilityId, facility);
    const entry = facility.get(item.itemId) ?? {
      ...item,
      heatSensitive: heatSensitiveVvm.has(item.vvmType),
      doses: 0,
      batches: [],
    };
    entry.doses += doses;
    entry.batches.push({ batchId, lotNumber, expiryDate, vvmStage, doses });
    facility.set(item.itemId, entry);
  }
  return new Map([...byFacility].map(([facilityId, stock]) => [facilityId, [...stock.values()]]));
}

/** The threatened part of a facility's stock, most sensitive items first, then by code. */
export function selectStockAtRisk(facilityId: number, type: AlarmType, stock: readonly StockItem[]): StockAtRisk {
  const threatened = stock
    .filter((item) => isThreatened(type, item))
    .sort((a, b) => {
      // Freeze: vaccines before diluents. Heat: by VVM type, shortest (most sensitive) first.
      const rank = (item: StockItem) =>
        type === "freeze" ? (item.kind === "vaccine" ? 0 : 1) : vvmOrder[item.vvmType];
      return rank(a) - rank(b) || a.code.localeCompare(b.code);
    });
  return {
    facilityId,
    alarmType: type,
    totalDoses: threatened.reduce((sum, item) => sum + item.doses, 0),
    items: threatened,
  };
}

export async function findStockAtRisk(db: Executor, facilityId: number, type: AlarmType): Promise<StockAtRisk> {
  const stock = await findFacilityStock(db, [facilityId]);
  return selectStockAtRisk(facilityId, type, stock.get(facilityId) ?? []);
}
