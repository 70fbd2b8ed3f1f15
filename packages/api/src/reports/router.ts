import { authorizeOrgUnit } from "@rantai/core/kernel";
import {
  enqueueReportExport,
  findOwnReportExports,
  getReportExport,
  reportCatalog,
  requestReportExport,
  viewReport,
  ZRequestReportExportSchema,
  ZViewReportSchema,
} from "@rantai/core/reports";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const reportsRouter = createTRPCRouter({
  /** A page of a report over a unit in scope (the caller's own by default), as the screen shows it. */
  view: protectedProcedure.input(ZViewReportSchema).query(async ({ ctx, input }) => {
    const right = reportCatalog[input.report].right;
    const scope = await authorizeOrgUnit(ctx, right, "reports.view", input.orgUnitId ?? ctx.actor.orgUnitId);
    return viewReport(ctx.db, scope, input);
  }),

  /** Starts (or finds, for a repeated request key) a background export of a report as CSV or XLSX. */
  requestExport: protectedProcedure.input(ZRequestReportExportSchema).mutation(async ({ ctx, input }) => {
    const right = reportCatalog[input.report].right;
    const scope = await authorizeOrgUnit(ctx, right, "reports.requestExport", input.orgUnitId ?? ctx.actor.orgUnitId);
    return requestReportExport(ctx, scope, input, (job) => enqueueReportExport(ctx.redis, ctx.jobQueuePrefix, job));
  }),

  /** One of the caller's own exports: its state and progress. */
  export: protectedProcedure
    .input(z.strictObject({ id: z.number().int().positive() }))
    .query(async ({ ctx, input }) => getReportExport(ctx, input.id)),

  /** The caller's latest exports. */
  exports: protectedProcedure.query(async ({ ctx }) => findOwnReportExports(ctx)),
});
