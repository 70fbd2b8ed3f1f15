import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import type { OrgUnit } from "@rantai/db";
import { reportExports } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit, createUser } from "@rantai/db/factories";
import type { TestDatabase } from "@rantai/db/testing";
import { eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestAlarm } from "../coldchain/alarms/testing";
import type { Actor, DomainContext } from "../kernel/context";
import type { ReportColumn } from "../kernel/report-definition";
import { createOrgsTestDatabase } from "../orgs/testing";
import { openReportExportFile, type ReportLabels, requestReportExport, runReportExport } from "./exports";
import { createTestVaccine, holdLot } from "./testing";
import { viewReport } from "./view";

let database: TestDatabase;
let district: OrgUnit;
let depok: OrgUnit;
let gamping: OrgUnit;
let otherDistrict: OrgUnit;

/** Headers as their keys and codes as `key:value`, so the test reads the file without a catalog. */
const rawLabels = (): ReportLabels => ({
  header: (column: ReportColumn) => column.key,
  code: (column: ReportColumn, value: string) => `${column.key}:${value}`,
  sheetName: (report) => report,
});

beforeAll(async () => {
  database = await createOrgsTestDatabase("reports");
  const db = database.db;
  const national = await createOrgUnit(db, { parent: null, level: "national" });
  const province = await createOrgUnit(db, { parent: national, level: "province" });
  district = await createOrgUnit(db, { parent: province, level: "district", name: "Sleman" });
  otherDistrict = await createOrgUnit(db, { parent: province, level: "district", name: "Bantul" });
  depok = await createOrgUnit(db, { parent: district, level: "facility", name: "=Puskesmas Depok" });
  gamping = await createOrgUnit(db, { parent: district, level: "facility", name: "Puskesmas Gamping" });
  const bantulFacility = await createOrgUnit(db, { parent: otherDistrict, level: "facility", name: "Puskesmas Sewon" });
  const bcg = await createTestVaccine(db, "BCG", 20);
  const polio = await createTestVaccine(db, "bOPV", 20);
  // Depok: 500 usable BCG doses (100 expiring in 20 days) at 100 a month: 5 months, above the facility maximum of 2.
  await holdLot(db, depok, bcg, { quantity: 100, expiresInDays: 20, monthlyConsumption: 100 });
  await holdLot(db, depok, bcg, { quantity: 400, expiresInDays: 200 });
  // Gamping: polio at zero (a stock-out) at 50 a month; BCG 60 doses at 100 a month, below the minimum.
  await holdLot(db, gamping, polio, { quantity: 0, expiresInDays: 200, monthlyConsumption: 50 });
  await holdLot(db, gamping, bcg, { quantity: 60, expiresInDays: 200, monthlyConsumption: 100 });
  await holdLot(db, bantulFacility, bcg, { quantity: 999, expiresInDays: 200, monthlyConsumption: 10 });
  const depokFridge = await createFridgeWithSensor(db, { facility: depok, name: "Fridge A" });
  await createFridgeWithSensor(db, { facility: gamping, name: "Fridge B" });
  const fridge = { ...depokFridge, facilityId: depok.id };
  await createTestAlarm(db, fridge, { status: "resolved", startedAt: new Date(Date.now() - 2 * 86_400_000) });
  await createTestAlarm(db, fridge, { status: "retracted", startedAt: new Date(Date.now() - 86_400_000) });
  await createTestAlarm(db, fridge, {
    status: "resolved",
    type: "freeze",
    startedAt: new Date(Date.now() - 90 * 86_400_000),
  });
});
afterAll(async () => {
  await database?.destroy();
});

async function actorAt(unit: OrgUnit): Promise<DomainContext> {
  const user = await createUser(database.db, { orgUnit: unit, role: "district_officer" });
  const actor: Actor = {
    userId: user.id,
    name: "Officer",
    email: user.email,
    role: "district_officer",
    locale: "id",
    orgUnitId: unit.id,
    orgUnitName: unit.name,
    orgUnitPath: unit.path,
    sessionVersion: 0,
  };
  return { db: database.db, actor, meta: { requestId: "test", ip: null, userAgent: null } };
}

describe("stock reports", () => {
  it("give each facility and vaccine of the scope its stock, expiry and status, and nothing outside it", async () => {
    const onHand = await viewReport(database.db, district, { report: "stock_on_hand", parameters: {}, limit: 50 });
    expect(onHand.totalRows).toBe(3);
    expect(onHand.rows.map((row) => [row[2], row[4], ...row.slice(5)])).toEqual([
      ["=Puskesmas Depok", "BCG", 500, 500, 100, 100, 100],
      ["Puskesmas Gamping", "BCG", 60, 60, 0, 0, 0],
      ["Puskesmas Gamping", "bOPV", 0, 0, 0, 0, 0],
    ]);
    const status = await viewReport(database.db, district, { report: "stock_status", parameters: {}, limit: 50 });
    // usable, AMC, months of stock, min, max, status, suggested, excess
    expect(status.rows.map((row) => [row[4], ...row.slice(5)])).toEqual([
      ["BCG", 500, 100, 5, 1, 2, "above_max", 0, 300],
      ["BCG", 60, 100, 0.6, 1, 2, "below_min", 140, 0],
      ["bOPV", 0, 50, 0, 1, 2, "stock_out", 100, 0],
    ]);
  });

  it("pages through every row once, however small the page", async () => {
    const seen: string[] = [];
    let cursor = null;
    do {
      const page: Awaited<ReturnType<typeof viewReport>> = await viewReport(database.db, district, {
        report: "stock_on_hand",
        parameters: {},
        cursor,
        limit: 1,
      });
      seen.push(...page.rows.map((row) => `${row[2]}/${row[4]}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["=Puskesmas Depok/BCG", "Puskesmas Gamping/BCG", "Puskesmas Gamping/bOPV"]);
  });
});

describe("temperature excursions report", () => {
  it("counts each fridge's heat and freeze alarms that started in the period, not retracted ones", async () => {
    const report = await viewReport(database.db, district, {
      report: "temperature_excursions",
      parameters: {},
      limit: 50,
    });
    expect(report.totalRows).toBe(2);
    expect(report.rows.map((row) => [row[3], ...row.slice(4)])).toEqual([
      ["Fridge A", 1, 0, 600, 9.5, 8.5, 10],
      ["Fridge B", 0, 0, 0, null, null, 0],
    ]);
    const longer = await viewReport(database.db, district, {
      report: "temperature_excursions",
      parameters: { from: new Date(Date.now() - 120 * 86_400_000).toISOString().slice(0, 10) },
      limit: 50,
    });
    expect(longer.rows[0]?.slice(4, 6)).toEqual([1, 1]);
  });
});

describe("report exports", () => {
  it("writes the report into a file kept in the database, the same request twice giving one export", async () => {
    const officer = await actorAt(district);
    const queued: number[] = [];
    const input = { report: "stock_status", format: "xlsx", parameters: {}, requestKey: randomUUID() } as const;
    const first = await requestReportExport(officer, district, input, async (job) => void queued.push(job.exportId));
    const again = await requestReportExport(officer, district, input, async (job) => void queued.push(job.exportId));
    expect(again.id).toBe(first.id);
    expect(new Set(queued)).toEqual(new Set([first.id]));

    expect(await runReportExport(database.db, first.id, { labelsFor: rawLabels, pageRows: 2 })).toBe("done");
    const [row] = await database.db.select().from(reportExports).where(eq(reportExports.id, first.id));
    expect(row).toMatchObject({ status: "done", rowsWritten: 3, rowsTotal: 3, attempts: 1 });

    const file = await openReportExportFile(officer, first.id);
    expect(file.fileName).toMatch(/^rantai-stock-status-\d{4}-\d{2}-\d{2}-\d+\.xlsx$/);
    const sink = new PassThrough();
    const workbook = new ExcelJS.Workbook();
    const loaded = workbook.xlsx.read(sink);
    for await (const piece of file.pieces) sink.write(piece);
    sink.end();
    await loaded;
    const sheet = workbook.getWorksheet("stock_status");
    expect(sheet?.getCell("C1").value).toBe("facility");
    // A facility name that would run as a formula is escaped.
    expect(sheet?.getCell("C2").value).toBe("'=Puskesmas Depok");
    expect(sheet?.getCell("K2").value).toBe("stockStatus:above_max");
    expect(sheet?.getCell("M2").value).toBe(300);
    expect(sheet?.rowCount).toBe(4);

    // Running it again (a retry after a crash) leaves the finished file alone.
    expect(await runReportExport(database.db, first.id, { labelsFor: rawLabels })).toBe("skipped");
  });

  it("starts over cleanly when a crashed attempt left part of a file", async () => {
    const officer = await actorAt(district);
    const exported = await requestReportExport(
      officer,
      district,
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey: randomUUID() },
      async () => {},
    );
    // The first attempt dies after its first page.
    await expect(
      runReportExport(database.db, exported.id, {
        labelsFor: rawLabels,
        pageRows: 1,
        onProgress: async () => {
          throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    expect(await runReportExport(database.db, exported.id, { labelsFor: rawLabels, pageRows: 1 })).toBe("done");
    const file = await openReportExportFile(officer, exported.id);
    const pieces: Buffer[] = [];
    for await (const piece of file.pieces) pieces.push(piece);
    const lines = Buffer.concat(pieces)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain("'=Puskesmas Depok");
    const [row] = await database.db.select().from(reportExports).where(eq(reportExports.id, exported.id));
    expect(row).toMatchObject({ status: "done", attempts: 2, rowsWritten: 3 });
  });

  it("is for its owner only: another officer, even of the same district, is refused", async () => {
    const owner = await actorAt(district);
    const exported = await requestReportExport(
      owner,
      district,
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey: randomUUID() },
      async () => {},
    );
    await runReportExport(database.db, exported.id, { labelsFor: rawLabels });
    const colleague = await actorAt(district);
    await expect(openReportExportFile(colleague, exported.id)).rejects.toMatchObject({ reason: "scope.forbidden" });
    const outsider = await actorAt(otherDistrict);
    await expect(openReportExportFile(outsider, exported.id)).rejects.toMatchObject({ reason: "scope.forbidden" });
  });

  it("refuses to serve an export before it is finished", async () => {
    const owner = await actorAt(district);
    const exported = await requestReportExport(
      owner,
      district,
      { report: "stock_on_hand", format: "csv", parameters: {}, requestKey: randomUUID() },
      async () => {},
    );
    await expect(openReportExportFile(owner, exported.id)).rejects.toMatchObject({
      reason: "reports.export_not_ready",
    });
  });
});
