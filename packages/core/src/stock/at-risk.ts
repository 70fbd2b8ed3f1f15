import { batches, type Executor, type ItemKind, items, stockBalances, stockLedger, type vvmTypes } from "@rantai/db";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { isExpired, isVvmUsable } from "./batch-usability";

/**
 * Stock at risk: the one calculation behind the stock view (`stock.stockAtRisk`) and the alarm
 * view (an alarm's detail and its notices), so both give a health worker the same figure for
 * the same fridge. The rule:
 * - Per facility, not per fridge: Rantai does not record which fridge holds which lot, so every
 *   lot the facility holds may be in the fridge that alarmed.
 * - Only doses that can still be given: a positive balance of a lot that has not expired (WIB
 *   calendar day) and whose VVM at this store has not reached the discard point. Expired or
 *   discard-point doses are already lost whatever the fridge does; counting them would overstate
 *   what a quick response can save.
 * - What the temperature threatens: heat (and an excursion, or no data, where the temperature is
 *   unknown) threatens every vaccine, most of all those with a short VVM (VVM2 — OPV —, VVM7,
 *   VVM14); freezing threatens freeze-sensitive items, vaccines and diluents alike. Syringes and
 *   safety boxes are never at risk, and a diluent is not harmed by heat.
 */

export type TemperatureExposure = "heat" | "freeze";
type VvmType = (typeof vvmTypes)[number];

/** Most heat-sensitive first: days to the discard point at +37 °C (WHO/V&B/02.35). */
const vvmOrder: Record<VvmType, number> = { VVM2: 0, VVM7: 1, VVM14: 2, VVM30: 3, none: 4 };
const heatSensitiveVvm: ReadonlySet<VvmType> = new Set(["VVM2", "VVM7", "VVM14"]);

export interface StockAtRiskBatch {
  batchId: number;
  lotNumber: string;
  expiryDate: string;
  vvmStage: number;
  doses: number;
}

export interface StockAtRiskItem {
  itemId: number;
  code: string;
  name: string;
  kind: ItemKind;
  freezeSensitive: boolean;
  /** Short VVM type: loses potency fastest in heat. */
  heatSensitive: boolean;
  vvmType: VvmType;
  storageMinC: number | null;
  storageMaxC: number | null;
  doses: number;
  batches: StockAtRiskBatch[];
}

/** Whether a temperature exposure threatens an item. */
export function isExposedTo(exposure: TemperatureExposure, item: Pick<StockAtRiskItem, "kind" | "freezeSensitive">) {
  return exposure === "freeze" ? item.freezeSensitive : item.kind === "vaccine";
}

/**
 * The usable stock of the facilities (positive, unexpired, VVM before the discard point),
 * grouped by item in code order, lots by expiry: one query for all of them.
 */
export async function findUsableStock(
  db: Executor,
  facilityIds: readonly number[],
  now = new Date(),
): Promise<Map<number, StockAtRiskItem[]>> {
  if (facilityIds.length === 0) return new Map();
  const rows = await db
    .select({ ...lotColumns, doses: stockBalances.quantity })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(and(inArray(stockBalances.orgUnitId, [...new Set(facilityIds)]), gt(stockBalances.quantity, 0)))
    .orderBy(asc(items.code), asc(batches.expiryDate), asc(batches.id));
  return groupUsableStock(rows, now);
}

/**
 * A facility's usable stock as it stood at a past moment (an alarm's start): each lot's balance
 * less what moved after that moment by the ledger (`occurred_at`), expiry judged on that day.
 * The VVM stage is the lot's current one: the ledger does not record every change of stage.
 */
export async function findUsableStockAt(db: Executor, facilityId: number, at: Date): Promise<StockAtRiskItem[]> {
  const movedSince = db
    .select({
      batchId: stockLedger.batchId,
      doses: sql<number>`SUM(${stockLedger.quantity})`.mapWith(Number).as("moved_doses"),
    })
    .from(stockLedger)
    .where(and(eq(stockLedger.orgUnitId, facilityId), gt(stockLedger.occurredAt, at)))
    .groupBy(stockLedger.batchId)
    .as("moved_since");
  const rows = await db
    .select({
      ...lotColumns,
      doses: sql<number>`${stockBalances.quantity} - COALESCE(${movedSince.doses}, 0)`.mapWith(Number),
    })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .leftJoin(movedSince, eq(movedSince.batchId, stockBalances.batchId))
    .where(eq(stockBalances.orgUnitId, facilityId))
    .orderBy(asc(items.code), asc(batches.expiryDate), asc(batches.id));
  return groupUsableStock(rows, at).get(facilityId) ?? [];
}

const lotColumns = {
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
};

/** One lot of one facility, as both queries read it. */
type LotRow = Omit<StockAtRiskItem, "heatSensitive" | "doses" | "batches"> & StockAtRiskBatch & { facilityId: number };

/** Usable lots (positive, unexpired at `now`, VVM before the discard point) grouped per facility and item. */
function groupUsableStock(rows: readonly LotRow[], now: Date): Map<number, StockAtRiskItem[]> {
  const byFacility = new Map<number, Map<number, StockAtRiskItem>>();
  for (const { facilityId, batchId, lotNumber, expiryDate, vvmStage, doses, ...item } of rows) {
    // Lots already lost are not at risk: the expiry date is compared as a calendar date, which
    // SQL on a server in another zone would get wrong, so it is filtered here.
    if (doses <= 0 || isExpired(expiryDate, now) || !isVvmUsable(vvmStage)) continue;
    const facility = byFacility.get(facilityId) ?? new Map<number, StockAtRiskItem>();
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

/** The part of a facility's usable stock an exposure threatens, most sensitive items first, then by code. */
export function selectExposedStock(
  exposure: TemperatureExposure,
  stock: readonly StockAtRiskItem[],
): { totalDoses: number; items: StockAtRiskItem[] } {
  // Freeze: vaccines before diluents. Heat: by VVM type, shortest (most sensitive) first.
  const rank = (item: StockAtRiskItem) =>
    exposure === "freeze" ? (item.kind === "vaccine" ? 0 : 1) : vvmOrder[item.vvmType];
  const exposed = stock
    .filter((item) => isExposedTo(exposure, item))
    .sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  return { totalDoses: sumDoses(exposed), items: exposed };
}

function sumDoses(list: readonly StockAtRiskItem[]): number {
  return list.reduce((sum, item) => sum + item.doses, 0);
}

/**
 * The stock view of a facility's stock at risk: every usable item some fridge alarm would
 * threaten, in code order, with the doses a heat alarm and a freeze alarm would each put at risk
 * (the figures the alarm view shows for an alarm of that kind at this facility).
 */
export async function findStockAtRisk(db: Executor, facilityId: number, now = new Date()) {
  const stock = (await findUsableStock(db, [facilityId], now)).get(facilityId) ?? [];
  const atRisk = stock.filter((item) => isExposedTo("heat", item) || isExposedTo("freeze", item));
  return {
    facilityId,
    items: atRisk,
    totalDoses: sumDoses(atRisk),
    heatExposedDoses: selectExposedStock("heat", stock).totalDoses,
    freezeSensitiveDoses: selectExposedStock("freeze", stock).totalDoses,
  };
}
