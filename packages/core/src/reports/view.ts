import type { Executor, OrgUnit } from "@rantai/db";
import { z } from "zod";
import { ZSortCursorSchema } from "../kernel/pagination";
import { ZReportParametersSchema } from "../kernel/report-definition";
import { reportCatalog, reportNames } from "./catalog";

export const ZViewReportSchema = z.strictObject({
  report: z.enum(reportNames),
  /** The unit whose scope the report covers; the caller's own when absent. */
  orgUnitId: z.number().int().positive().optional(),
  parameters: ZReportParametersSchema.default({}),
  cursor: ZSortCursorSchema.nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export type TViewReport = z.infer<typeof ZViewReportSchema>;

/** One page of a report on screen, with its columns; the first page also counts the rows. */
export async function viewReport(
  db: Executor,
  scope: Pick<OrgUnit, "id" | "path">,
  input: TViewReport,
  now = new Date(),
) {
  const report = reportCatalog[input.report];
  const options = { scope, parameters: input.parameters, now };
  const [page, totalRows] = await Promise.all([
    report.readPage(db, options, input.cursor ?? null, input.limit),
    input.cursor ? Promise.resolve(null) : report.countRows(db, options),
  ]);
  return { columns: report.columns, usesPeriod: report.usesPeriod, filters: report.filters, ...page, totalRows };
}
