import {
  bigint,
  customType,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, ref, timestamp, updatedAt } from "./columns";

export const reportExportFormats = ["csv", "xlsx"] as const;
export type ReportExportFormat = (typeof reportExportFormats)[number];
export const reportExportStatuses = ["queued", "running", "done", "failed"] as const;
export type ReportExportStatus = (typeof reportExportStatuses)[number];

/**
 * A report export a user asked for, run in the background by the worker. The row is where
 * every web replica reads the job's state and progress; the file itself is kept in
 * `report_export_chunks`. Unique per user and request key, so asking twice gives one export.
 */
export const reportExports = mysqlTable(
  "report_exports",
  {
    id: bigId(),
    userId: ref().notNull(),
    /** The client's key for this request: a repeated request finds the same export. */
    requestKey: varchar({ length: 64 }).notNull(),
    /** The unit whose scope the report covers (authorized when the export was requested). */
    orgUnitId: ref().notNull(),
    report: varchar({ length: 48 }).notNull(),
    format: mysqlEnum(reportExportFormats).notNull(),
    /** The report's validated parameters (period, item…), as the worker will run them. */
    parameters: json().notNull(),
    status: mysqlEnum(reportExportStatuses).notNull().default("queued"),
    rowsWritten: int({ unsigned: true }).notNull().default(0),
    /** Rows the report will hold, counted when the job starts (progress = written ÷ total). */
    rowsTotal: int({ unsigned: true }),
    byteSize: bigint({ mode: "number", unsigned: true }).notNull().default(0),
    attempts: int({ unsigned: true }).notNull().default(0),
    error: varchar({ length: 500 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: timestamp(),
    /** After this the worker deletes the export and its file. */
    expiresAt: timestamp().notNull(),
  },
  (t) => [
    uniqueIndex("report_exports_user_request_uq").on(t.userId, t.requestKey),
    index("report_exports_user_created_idx").on(t.userId, t.createdAt),
    index("report_exports_expires_idx").on(t.expiresAt),
  ],
);

const mediumBlob = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "mediumblob",
});

/** The file of an export in ordered pieces, so neither writer nor reader holds it whole. */
export const reportExportChunks = mysqlTable(
  "report_export_chunks",
  {
    exportId: bigRef().notNull(),
    sequence: int({ unsigned: true }).notNull(),
    data: mediumBlob().notNull(),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.sequence] })],
);

export type ReportExport = typeof reportExports.$inferSelect;
