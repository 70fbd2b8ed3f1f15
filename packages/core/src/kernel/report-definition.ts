import type { Executor, OrgUnit } from "@rantai/db";
import { z } from "zod";
import type { Right } from "./authorization/roles";
import type { SortCursor } from "./pagination";
import type { CellValue } from "./table-writers";

/**
 * What a report is to the reports module: its columns, the right it needs, and a keyset-paged
 * read of its rows over a unit's scope. Each context declares its own reports (stock in
 * core/stock, cold chain in core/coldchain); the screen and the export read the same pages.
 */

const ZIsoDateSchema = z.iso.date({ error: "must be a date like 2026-12-01" });

/** The parameters any report takes; each report reads those it needs. */
export const ZReportParametersSchema = z
  .strictObject({
    /** First day of the period (WIB calendar day), inclusive. */
    from: ZIsoDateSchema.optional(),
    /** Last day of the period, inclusive. */
    to: ZIsoDateSchema.optional(),
    itemId: z.number().int().positive().optional(),
    /** Rows per facility or per district (consumption and wastage); by default one level below a province or the nation. */
    groupBy: z.enum(["facility", "district"]).optional(),
    /** Lots expiring within 30, 60 or 90 days (expired ones held included), or the expired ones only. */
    expiry: z.enum(["expired", "within_30", "within_60", "within_90"]).optional(),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { error: "from must not be after to" })
  .refine(
    (value) =>
      !value.from || !value.to || Date.parse(value.to) - Date.parse(value.from) <= MAX_PERIOD_DAYS * 86_400_000,
    { error: "the period may span at most 366 days" },
  );
export type TReportParameters = z.infer<typeof ZReportParametersSchema>;

const MAX_PERIOD_DAYS = 366;

/** How a column's cells are shown: numbers and dates in the reader's locale; a `code` is translated (`reports.codes.<key>.<value>`). */
export type ReportColumnKind = "text" | "integer" | "decimal" | "date" | "datetime" | "code";

export interface ReportColumn {
  /** Stable key; the header text is the message `reports.columns.<key>`. */
  key: string;
  kind: ReportColumnKind;
}

/** The columns that place a row: its district, then the facility's code and name. */
export const facilityColumns: readonly ReportColumn[] = [
  { key: "district", kind: "text" },
  { key: "facilityCode", kind: "text" },
  { key: "facility", kind: "text" },
];

/** The columns that name a row's vaccine. */
export const itemColumns: readonly ReportColumn[] = [
  { key: "itemCode", kind: "text" },
  { key: "item", kind: "text" },
];

export interface ReportPage {
  rows: CellValue[][];
  nextCursor: SortCursor | null;
}

export interface ReportReadOptions {
  scope: Pick<OrgUnit, "id" | "path">;
  parameters: TReportParameters;
  now: Date;
}

/** A filter a report reads from its parameters, so the screen offers the right controls. */
export type ReportFilter = "period" | "item" | "groupBy" | "expiry";

export interface ReportDefinition {
  right: Right;
  /** Whether the report reads the period (from/to); the others describe the present. */
  usesPeriod: boolean;
  /** The parameters it reads besides the area. */
  filters: readonly ReportFilter[];
  columns: readonly ReportColumn[];
  countRows(db: Executor, options: ReportReadOptions): Promise<number>;
  readPage(db: Executor, options: ReportReadOptions, cursor: SortCursor | null, limit: number): Promise<ReportPage>;
}

/** The period as WIB calendar days (first and last, inclusive), for reports that count days. */
export function periodDays(
  parameters: TReportParameters,
  now: Date,
): { firstDay: string; lastDay: string; days: number } {
  const wibOffsetMs = 7 * 3_600_000;
  const { start, end } = periodBounds(parameters, now);
  const firstDay = new Date(start.getTime() + wibOffsetMs).toISOString().slice(0, 10);
  const lastDay = new Date(end.getTime() - 1 + wibOffsetMs).toISOString().slice(0, 10);
  return { firstDay, lastDay, days: Math.round((Date.parse(lastDay) - Date.parse(firstDay)) / 86_400_000) + 1 };
}

/** The period as UTC instants: WIB days (UTC+7) from `from` 00:00 to the end of `to`, defaulting to the last 30 days. */
export function periodBounds(parameters: TReportParameters, now: Date): { start: Date; end: Date } {
  const wibOffsetMs = 7 * 3_600_000;
  const end = parameters.to ? new Date(Date.parse(parameters.to) + 86_400_000 - wibOffsetMs) : now;
  const start = parameters.from
    ? new Date(Date.parse(parameters.from) - wibOffsetMs)
    : new Date(end.getTime() - 30 * 86_400_000);
  return { start, end };
}
