import { Writable } from "node:stream";
import {
  type Database,
  type Executor,
  orgUnits,
  type ReportExport,
  reportExportChunks,
  reportExportFormats,
  reportExports,
  users,
} from "@rantai/db";
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { authorize } from "../kernel/authorization/authorize";
import type { DomainContext } from "../kernel/context";
import { AppError, type ErrorReason, errorReasons } from "../kernel/errors";
import type { SortCursor } from "../kernel/pagination";
import { type ReportColumn, ZReportParametersSchema } from "../kernel/report-definition";
import { type CellValue, createCsvWriter, createXlsxWriter, type TableWriter } from "../kernel/table-writers";
import { type ReportName, reportCatalog, reportNames } from "./catalog";
import type { ReportExportJobKey } from "./queue";

/**
 * Report exports run in the background: the request stores a row (one per user and request key)
 * and queues a job; the worker writes the file into `report_export_chunks` a page at a time and
 * keeps the row's progress current, so any web replica can show it and serve the download.
 */

/** Rows read per page while exporting, unless the worker is configured otherwise. */
export const EXPORT_PAGE_ROWS = 1000;
/** The file is stored in pieces of this size (a MEDIUMBLOB holds up to 16 MiB). */
export const EXPORT_CHUNK_BYTES = 1024 * 1024;
/** Largest file an export may produce: a national stock report is a few tens of MiB. */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;
/** How long a finished file stays downloadable. */
export const EXPORT_RETENTION_MS = 24 * 3_600_000;

export const ZRequestReportExportSchema = z.strictObject({
  report: z.enum(reportNames),
  format: z.enum(reportExportFormats),
  orgUnitId: z.number().int().positive().optional(),
  parameters: ZReportParametersSchema.default({}),
  /** A client-made UUID: the same request sent twice gives one export. */
  requestKey: z.uuid({ error: "requestKey must be a UUID made by the client" }),
});
export type TRequestReportExport = z.infer<typeof ZRequestReportExportSchema>;

/** What a client sees of an export: never the file itself. */
function describe(row: ReportExport) {
  return {
    id: row.id,
    report: row.report as ReportName,
    format: row.format,
    status: row.status,
    rowsWritten: row.rowsWritten,
    rowsTotal: row.rowsTotal,
    byteSize: row.byteSize,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    expiresAt: row.expiresAt,
    /** Why a failed export failed: a reason code the client translates (`errors.<reason>`). */
    failureReason: row.status === "failed" ? failureReasonOf(row.error) : null,
  };
}

/** The stored reason of a failed export; rows failed before reasons were stored read as a plain failure. */
function failureReasonOf(stored: string | null): ErrorReason {
  return stored !== null && stored in errorReasons ? (stored as ErrorReason) : "reports.export_failed";
}
export type ReportExportView = ReturnType<typeof describe>;

/**
 * Stores the export (or finds the one this user already asked for with this key) and hands its id
 * to `enqueue`, whose job id is derived from it, so a repeated request queues nothing new.
 */
export async function requestReportExport(
  request: DomainContext,
  scope: { id: number },
  input: TRequestReportExport,
  enqueue: (job: ReportExportJobKey) => Promise<void>,
  now = new Date(),
): Promise<ReportExportView> {
  const userId = request.actor.userId;
  await request.db
    .insert(reportExports)
    .values({
      userId,
      requestKey: input.requestKey,
      orgUnitId: scope.id,
      report: input.report,
      format: input.format,
      parameters: input.parameters,
      expiresAt: new Date(now.getTime() + EXPORT_RETENTION_MS),
    })
    .onDuplicateKeyUpdate({ set: { requestKey: sql`${reportExports.requestKey}` } });
  const [row] = await request.db
    .select()
    .from(reportExports)
    .where(and(eq(reportExports.userId, userId), eq(reportExports.requestKey, input.requestKey)));
  if (!row) throw new AppError("internal", "The export could not be stored.");
  if (row.report !== input.report || row.format !== input.format || row.orgUnitId !== scope.id) {
    throw new AppError("idempotency.key_reused", "This request key was already used for another export.");
  }
  if (row.status === "queued") await enqueue({ exportId: row.id, requestKey: row.requestKey });
  return describe(row);
}

/**
 * One of the actor's own exports, still in their scope. Another user's export, or one whose unit
 * has left the actor's scope, is refused like an id that does not exist.
 */
export async function requireOwnReportExport(request: DomainContext<Executor>, exportId: number) {
  const [found] = await request.db
    .select({ export: reportExports, path: orgUnits.path })
    .from(reportExports)
    .innerJoin(orgUnits, eq(orgUnits.id, reportExports.orgUnitId))
    .where(and(eq(reportExports.id, exportId), eq(reportExports.userId, request.actor.userId)));
  const right = found ? reportCatalog[found.export.report as ReportName]?.right : undefined;
  const allowed = await authorize(
    request,
    right ?? "stock.read",
    "reports.export",
    { entityType: "report_export", entityId: exportId },
    found,
    (row) => [row.path],
  );
  return allowed.export;
}

export async function getReportExport(request: DomainContext<Executor>, exportId: number) {
  return describe(await requireOwnReportExport(request, exportId));
}

/** The actor's latest exports, newest first. */
export async function findOwnReportExports(request: DomainContext<Executor>, limit = 20) {
  const rows = await request.db
    .select()
    .from(reportExports)
    .where(eq(reportExports.userId, request.actor.userId))
    .orderBy(desc(reportExports.createdAt), desc(reportExports.id))
    .limit(limit);
  return rows.map(describe);
}

const contentTypes = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/**
 * A finished export's file for download: its name, type, size and its pieces read one at a time,
 * so serving a large file holds one piece in memory.
 */
export async function openReportExportFile(request: DomainContext<Executor>, exportId: number, now = new Date()) {
  const row = await requireOwnReportExport(request, exportId);
  if (row.status !== "done") throw new AppError("reports.export_not_ready", "This export has not finished yet.");
  if (row.expiresAt <= now) throw new AppError("reports.export_expired", "This export has expired; export again.");
  const db = request.db;
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let sequence = 0; ; sequence++) {
      const [chunk] = await db
        .select({ data: reportExportChunks.data })
        .from(reportExportChunks)
        .where(and(eq(reportExportChunks.exportId, exportId), eq(reportExportChunks.sequence, sequence)));
      if (!chunk) return;
      yield chunk.data;
    }
  }
  const day = row.createdAt.toISOString().slice(0, 10);
  return {
    fileName: `rantai-${row.report.replaceAll("_", "-")}-${day}-${row.id}.${row.format}`,
    contentType: contentTypes[row.format],
    byteSize: row.byteSize,
    pieces: pieces(),
  };
}

/** How a report's headers and coded cells read in a language. */
export interface ReportLabels {
  header(column: ReportColumn): string;
  code(column: ReportColumn, value: string): string;
  sheetName(report: ReportName): string;
}

/** A writable that stores what it receives as numbered pieces of an export, at most `MAX_EXPORT_BYTES`. */
function createChunkSink(db: Database, exportId: number) {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let sequence = 0;
  let totalBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await db.insert(reportExportChunks).values({ exportId, sequence, data });
    sequence += 1;
  };
  const sink = new Writable({
    highWaterMark: EXPORT_CHUNK_BYTES,
    write(chunk: Buffer, _encoding, done) {
      totalBytes += chunk.length;
      if (totalBytes > MAX_EXPORT_BYTES) {
        done(new AppError("reports.export_too_large", "The export is too large; choose a smaller area or period."));
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < EXPORT_CHUNK_BYTES) done();
      else flush().then(() => done(), done);
    },
    final(done) {
      flush().then(() => done(), done);
    },
  });
  return { sink, bytes: () => totalBytes };
}

/**
 * Writes an export's file from its report, a page at a time, reporting progress after each
 * page. Safe to run again after a crash: the row and its pieces start over, and a finished
 * export is left as it is.
 */
export interface RunReportExportOptions {
  labelsFor: (locale: "id" | "en") => ReportLabels;
  /** Called after each page is written, e.g. to report the job's progress. */
  onProgress?: (written: number, total: number) => Promise<void>;
  pageRows?: number;
  now?: Date;
}

export async function runReportExport(
  db: Database,
  exportId: number,
  { labelsFor, onProgress, pageRows = EXPORT_PAGE_ROWS, now = new Date() }: RunReportExportOptions,
): Promise<"done" | "skipped"> {
  const [found] = await db
    .select({ export: reportExports, path: orgUnits.path, locale: users.locale })
    .from(reportExports)
    .innerJoin(orgUnits, eq(orgUnits.id, reportExports.orgUnitId))
    .innerJoin(users, eq(users.id, reportExports.userId))
    .where(eq(reportExports.id, exportId));
  if (!found || found.export.status === "done" || found.export.expiresAt <= now) return "skipped";
  const row = found.export;
  const report = reportCatalog[row.report as ReportName];
  const parameters = ZReportParametersSchema.parse(row.parameters);
  const options = { scope: { id: row.orgUnitId, path: found.path }, parameters, now };

  await db.delete(reportExportChunks).where(eq(reportExportChunks.exportId, exportId));
  const total = await report.countRows(db, options);
  await db
    .update(reportExports)
    .set({
      status: "running",
      attempts: sql`${reportExports.attempts} + 1`,
      rowsWritten: 0,
      rowsTotal: total,
      byteSize: 0,
      error: null,
    })
    .where(eq(reportExports.id, exportId));

  const labels = labelsFor(found.locale);
  const headers = report.columns.map((column) => labels.header(column));
  const { sink, bytes } = createChunkSink(db, exportId);
  const writer: TableWriter =
    row.format === "csv"
      ? createCsvWriter(sink, headers)
      : createXlsxWriter(sink, labels.sheetName(row.report as ReportName), headers);
  const translate = (cells: CellValue[]) =>
    cells.map((cell, index) => {
      const column = report.columns[index];
      return column?.kind === "code" && typeof cell === "string" ? labels.code(column, cell) : cell;
    });

  let written = 0;
  let cursor: SortCursor | null = null;
  do {
    const page = await report.readPage(db, options, cursor, pageRows);
    for (const cells of page.rows) await writer.writeRow(translate(cells));
    written += page.rows.length;
    cursor = page.nextCursor;
    await db.update(reportExports).set({ rowsWritten: written }).where(eq(reportExports.id, exportId));
    await onProgress?.(written, total);
  } while (cursor);
  await writer.finish();
  await db
    .update(reportExports)
    .set({ status: "done", rowsWritten: written, byteSize: bytes(), finishedAt: new Date() })
    .where(eq(reportExports.id, exportId));
  return "done";
}

/**
 * After the last retry, or when its job stalled past the limit or vanished from the queue: the
 * export is marked failed with a reason code (an `AppError`'s own, else `reports.export_failed`),
 * so the user sees it failed and can start it again. A finished export is left as it is.
 */
export async function markReportExportFailed(db: Database, exportId: number, error: unknown) {
  const reason: ErrorReason = error instanceof AppError ? error.reason : "reports.export_failed";
  const unfinished = and(eq(reportExports.id, exportId), inArray(reportExports.status, ["queued", "running"]));
  const [result] = await db
    .update(reportExports)
    .set({ status: "failed", error: reason, finishedAt: new Date() })
    .where(unfinished);
  if (result.affectedRows > 0) await db.delete(reportExportChunks).where(eq(reportExportChunks.exportId, exportId));
}

/**
 * Exports still queued or running that nothing has touched since `before` (progress moves
 * `updated_at` after every page): the worker asks the queue whether their jobs still live.
 */
export async function findIdleUnfinishedReportExports(db: Executor, before: Date, limit = 100) {
  return db
    .select({ exportId: reportExports.id, requestKey: reportExports.requestKey })
    .from(reportExports)
    .where(and(inArray(reportExports.status, ["queued", "running"]), lt(reportExports.updatedAt, before)))
    .orderBy(asc(reportExports.updatedAt))
    .limit(limit);
}

/** Deletes expired exports with their files, oldest first, a bounded batch per call. */
export async function deleteExpiredReportExports(db: Database, now = new Date(), batch = 100): Promise<number> {
  const expired = await db
    .select({ id: reportExports.id })
    .from(reportExports)
    .where(lt(reportExports.expiresAt, now))
    .orderBy(asc(reportExports.expiresAt))
    .limit(batch);
  if (expired.length === 0) return 0;
  const ids = expired.map((row) => row.id);
  await db.delete(reportExportChunks).where(inArray(reportExportChunks.exportId, ids));
  await db.delete(reportExports).where(inArray(reportExports.id, ids));
  return ids.length;
}
