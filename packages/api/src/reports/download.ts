import { AppError } from "@rantai/core/kernel";
import { openReportExportFile } from "@rantai/core/reports";
import type { ApiContext } from "../context";

/**
 * A finished export's file, for the web app's download route (a file is a byte stream, not a
 * tRPC answer): the caller must be signed in and the export their own.
 */
export async function openReportExportDownload(ctx: ApiContext, exportId: number) {
  if (!ctx.actor) throw new AppError("auth.not_signed_in", "You are not signed in, or your session has ended.");
  return openReportExportFile({ db: ctx.db, actor: ctx.actor, meta: ctx.meta }, exportId);
}
