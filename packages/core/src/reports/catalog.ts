import { temperatureExcursionsReport } from "../coldchain/reports";
import type { ReportDefinition } from "../kernel/report-definition";
import { stockOnHandReport, stockStatusReport } from "../stock/reports";

/** Every report the console offers, by the name clients send; each context declares its own. */
export const reportNames = ["stock_on_hand", "stock_status", "temperature_excursions"] as const;
export type ReportName = (typeof reportNames)[number];

export const reportCatalog: Readonly<Record<ReportName, ReportDefinition>> = {
  stock_on_hand: stockOnHandReport,
  stock_status: stockStatusReport,
  temperature_excursions: temperatureExcursionsReport,
};
