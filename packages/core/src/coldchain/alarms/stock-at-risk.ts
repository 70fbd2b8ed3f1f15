import type { AlarmType, Executor } from "@rantai/db";
import {
  findUsableStock,
  type StockAtRiskItem,
  selectExposedStock,
  type TemperatureExposure,
} from "../../stock/at-risk";

/**
 * The stock an alarm threatens, as the stock context counts it (stock/at-risk.ts holds the rule
 * and its reasons), so an alarm shows the figure the stock view shows for the same fridge.
 * Coldchain only says which exposure each alarm type means.
 */

export interface StockAtRisk {
  facilityId: number;
  alarmType: AlarmType;
  totalDoses: number;
  items: StockAtRiskItem[];
}

/**
 * The temperature exposure an alarm reports: an excursion or missing data is treated as heat,
 * the exposure that threatens the most vaccines; a low battery warns about the monitoring, not
 * the temperature, and threatens nothing yet.
 */
export function exposureOfAlarm(type: AlarmType): TemperatureExposure | null {
  switch (type) {
    case "freeze":
      return "freeze";
    case "heat":
    case "excursion":
    case "no_data":
      return "heat";
    case "low_battery":
      return null;
  }
}

/** The threatened part of a facility's usable stock, most sensitive items first, then by code. */
export function selectStockAtRisk(facilityId: number, type: AlarmType, stock: readonly StockAtRiskItem[]): StockAtRisk {
  const exposure = exposureOfAlarm(type);
  const exposed = exposure === null ? { totalDoses: 0, items: [] } : selectExposedStock(exposure, stock);
  return { facilityId, alarmType: type, ...exposed };
}

export async function findAlarmStockAtRisk(
  db: Executor,
  facilityId: number,
  type: AlarmType,
  now = new Date(),
): Promise<StockAtRisk> {
  const stock = await findUsableStock(db, [facilityId], now);
  return selectStockAtRisk(facilityId, type, stock.get(facilityId) ?? []);
}
