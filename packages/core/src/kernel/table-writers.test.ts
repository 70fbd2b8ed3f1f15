import { PassThrough, Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { type CellValue, createCsvWriter, createXlsxWriter, escapeFormulaText } from "./table-writers";

const hostile = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"];

describe("escapeFormulaText", () => {
  it("prefixes text a spreadsheet would read as a formula with an apostrophe", () => {
    for (const text of hostile) expect(escapeFormulaText(text)).toBe(`'${text}`);
  });

  it("leaves other text as it is", () => {
    for (const text of ["Puskesmas Depok I", "", "BCG", "1.234", "a=b", " =1"])
      expect(escapeFormulaText(text)).toBe(text);
  });
});

async function writeAll(make: (output: PassThrough) => ReturnType<typeof createCsvWriter>, rows: CellValue[][]) {
  const output = new PassThrough();
  const contents = buffer(output);
  const writer = make(output);
  for (const row of rows) await writer.writeRow(row);
  await writer.finish();
  return contents;
}

describe("createCsvWriter", () => {
  it("writes a UTF-8 CSV with quoting, empty cells and escaped formulas", async () => {
    const file = await writeAll(
      (output) => createCsvWriter(output, ["Fasilitas", "Dosis"]),
      [
        ['Puskesmas "Baru", Sleman', 1234],
        ["=cmd|' /C calc'!A0", null],
        ["-5", -5],
      ],
    );
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(file.subarray(3).toString("utf8")).toBe(
      'Fasilitas,Dosis\r\n"Puskesmas ""Baru"", Sleman",1234\r\n\'=cmd|\' /C calc\'!A0,\r\n\'-5,-5\r\n',
    );
  });
});

describe("createXlsxWriter", () => {
  it("writes a workbook exceljs reads back, numbers as numbers and formula text escaped", async () => {
    const file = await writeAll(
      (output) => createXlsxWriter(output, "Stok tersedia", ["Fasilitas", "Dosis"]),
      [
        ["Puskesmas Depok I", 1234],
        ["@SUM(A1:A9)", null],
        ["+62 811", 0.5],
      ],
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([file]));
    const sheet = workbook.getWorksheet("Stok tersedia");
    expect(sheet?.getRow(1).values).toEqual([undefined, "Fasilitas", "Dosis"]);
    expect(sheet?.getCell("A2").value).toBe("Puskesmas Depok I");
    expect(sheet?.getCell("B2").value).toBe(1234);
    expect(sheet?.getCell("A3").value).toBe("'@SUM(A1:A9)");
    expect(sheet?.getCell("B3").value).toBeNull();
    expect(sheet?.getCell("A4").value).toBe("'+62 811");
    expect(sheet?.getCell("B4").value).toBe(0.5);
    expect(sheet?.rowCount).toBe(4);
  });

  it("keeps memory bounded: rows are written as they come, not held until the end", async () => {
    const output = new PassThrough();
    let received = 0;
    output.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    const writer = createXlsxWriter(output, "Big", ["a", "b", "c"]);
    for (let row = 0; row < 20_000; row++) await writer.writeRow([`Puskesmas ${row}`, row, row / 3]);
    const beforeFinish = received;
    await writer.finish();
    // Most of the file left before the workbook was committed.
    expect(beforeFinish).toBeGreaterThan(received / 2);
  });
});
