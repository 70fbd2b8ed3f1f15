import { once } from "node:events";
import type { Writable } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";

/**
 * Streaming writers for report files: rows go out as they come, so a report over 10,000
 * facilities never sits in memory whole. Both formats escape text against formula injection.
 */

/** A cell of a report row: text, a number, or empty. */
export type CellValue = string | number | null;

/** What a row-by-row file writer offers; `finish` flushes and ends the output. */
export interface TableWriter {
  writeRow(values: readonly CellValue[]): Promise<void>;
  finish(): Promise<void>;
}

/**
 * A spreadsheet treats text starting with = + - @ (or a tab or carriage return, which some
 * programs skip before one of those) as a formula: a facility named "=HYPERLINK(…)" would run as
 * one on the officer's machine. Such text gets a leading apostrophe, shown as text everywhere.
 */
const formulaTriggers = new Set(["=", "+", "-", "@", "\t", "\r"]);

export function escapeFormulaText(text: string): string {
  return text.length > 0 && formulaTriggers.has(text.charAt(0)) ? `'${text}` : text;
}

function escapeCell(value: CellValue): CellValue {
  return typeof value === "string" ? escapeFormulaText(value) : value;
}

/** Resolves once the output can take more (so a slow consumer slows the producer, not memory). */
async function drained(output: Writable): Promise<void> {
  if (output.writableNeedDrain) await once(output, "drain");
}

/** CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read the accents right). */
export function createCsvWriter(output: Writable, headers: readonly string[]): TableWriter {
  const csv = stringify({ bom: true, record_delimiter: "\r\n" });
  csv.pipe(output);
  csv.write(headers.map(escapeFormulaText));
  return {
    async writeRow(values) {
      if (!csv.write(values.map((value) => escapeCell(value) ?? ""))) await once(csv, "drain");
      await drained(output);
    },
    async finish() {
      const finished = once(output, "finish");
      csv.end();
      await finished;
    },
  };
}

/** Rows an XLSX writer commits before letting the compressor run. */
const ROWS_PER_TURN = 200;

/** XLSX through exceljs's streaming workbook writer: each row is committed (and released) as written. */
export function createXlsxWriter(output: Writable, sheetName: string, headers: readonly string[]): TableWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: "frozen", ySplit: 1 }] });
  const header = sheet.addRow(headers.map((text) => escapeFormulaText(text)));
  header.font = { bold: true };
  header.commit();
  let sinceYield = 0;
  return {
    async writeRow(values) {
      sheet.addRow(values.map(escapeCell)).commit();
      // The zip stream compresses on later turns of the event loop: give it one now and then, or
      // every committed row would wait in memory until the workbook is finished.
      sinceYield += 1;
      if (sinceYield >= ROWS_PER_TURN) {
        sinceYield = 0;
        await nextTurn();
        await drained(output);
      }
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
