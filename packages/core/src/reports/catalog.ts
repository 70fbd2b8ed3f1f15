import { sensorUptimeReport, temperatureExcursionsReport } from "../coldchain/reports";
import type { ReportDefinition } from "../kernel/report-definition";
import { expiryReport } from "../stock/expiry-report";
import { consumptionWastageReport, stockOutDaysReport } from "../stock/ledger-reports";
import { stockOnHandReport, stockStatusReport } from "../stock/reports";

/** Every report the console offers, by the name clients send; each context declares its own. */
export const reportNames = [
  "stock_on_hand",
  "stock_status",
  "consumption_wastage",
  "stock_out_days",
  "expiry",
  "temperature_excursions",
  "sensor_uptime",
] as const;
export type ReportName = (typeof reportNames)[number];

export const reportCatalog: Readonly<Record<ReportName, ReportDefinition>> = {
  stock_on_hand: stockOnHandReport,
  stock_status: stockStatusReport,
  consumption_wastage: consumptionWastageReport,
  stock_out_days: stockOutDaysReport,
  expiry: expiryReport,
  temperature_excursions: temperatureExcursionsReport,
  sensor_uptime: sensorUptimeReport,
};
