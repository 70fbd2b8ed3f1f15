import { randomUUID } from "node:crypto";
import { type OrgUnit, readingRollupsHourly, sensorStates, sensors, stockLevels } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit, createUser } from "@rantai/db/factories";
import type { TestDatabase } from "@rantai/db/testing";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, DomainContext } from "../kernel/context";
import type { ReportColumn } from "../kernel/report-definition";
import { createOrgsTestDatabase } from "../orgs/testing";
import { openReportExportFile, type ReportLabels, requestReportExport, runReportExport } from "./exports";
import { createTestLot, createTestVaccine, recordTestMovement } from "./testing";
import { viewReport } from "./view";

/*
 * The four reports over the ledger, the lots held and the sensors' rollups, on a month whose every
 * figure is worked out by hand below. "Now" is 1 December 2026, 12:00 WIB; the period is November.
 */
const now = new Date("2026-12-01T05:00:00Z");
const november = { from: "2026-11-01", to: "2026-11-30" };
/** Noon WIB on a November day. */
const nov = (day: number) => new Date(Date.UTC(2026, 10, day, 5));

let database: TestDatabase;
let province: OrgUnit;
let sleman: OrgUnit;
let bantul: OrgUnit;
let depok: OrgUnit;
let gamping: OrgUnit;
let sewon: OrgUnit;
let bcg: number;
let polio: number;
let measles: number;

beforeAll(async () => {
  database = await createOrgsTestDatabase("ledger_reports");
  const db = database.db;
  const national = await createOrgUnit(db, { parent: null, level: "national" });
  province = await createOrgUnit(db, { parent: national, level: "province", name: "DI Yogyakarta" });
  sleman = await createOrgUnit(db, { parent: province, level: "district", name: "Sleman" });
  bantul = await createOrgUnit(db, { parent: province, level: "district", name: "Bantul" });
  depok = await createOrgUnit(db, { parent: sleman, level: "facility", name: "Puskesmas Depok" });
  gamping = await createOrgUnit(db, { parent: sleman, level: "facility", name: "Puskesmas Gamping" });
  // A puskesmas that holds nothing and has no minimum level: in no stock report.
  await createOrgUnit(db, { parent: sleman, level: "facility", name: "Puskesmas Godean" });
  sewon = await createOrgUnit(db, { parent: bantul, level: "facility", name: "Puskesmas Sewon" });
  bcg = await createTestVaccine(db, "BCG", 20);
  polio = await createTestVaccine(db, "bOPV", 20);
  measles = await createTestVaccine(db, "MR", 10);
  const lot = (store: OrgUnit, itemId: number, batchId: number) => ({ store, itemId, batchId });

  // Depok, BCG: 200 doses in October; in November 2 vials opened (40 doses) for 30 children, one
  // opened vial discarded under the open-vial policy (20), one closed vial broken (20), and a usage
  // recorded by mistake and reversed. Given 30; opened 60, so 30 wasted opened; 20 wasted closed.
  const depokBcg = await createTestLot(db, bcg, "2027-06-30");
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "receipt",
    quantity: 200,
    at: new Date("2026-10-20T03:00:00Z"),
  });
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "usage",
    quantity: -40,
    dosesAdministered: 30,
    at: nov(5),
  });
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "discard",
    quantity: -20,
    reason: "open_vial_policy",
    at: nov(6),
  });
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "discard",
    quantity: -20,
    reason: "broken",
    at: nov(10),
  });
  const mistaken = await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "usage",
    quantity: -60,
    dosesAdministered: 55,
    at: nov(12),
  });
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokBcg),
    type: "reversal",
    quantity: 60,
    dosesAdministered: -55,
    reversesEntryId: mistaken,
    at: nov(13),
  });
  // A lot expiring in 20 days (VVM stage 2), held since October.
  const depokSoon = await createTestLot(db, bcg, "2026-12-21");
  await recordTestMovement(db, {
    ...lot(depok, bcg, depokSoon),
    type: "receipt",
    quantity: 40,
    vvmStage: 2,
    at: new Date("2026-10-15T03:00:00Z"),
  });

  // Gamping, BCG: first held on 3 November (100 doses of a lot usable through 20 November); 80
  // opened for 75 children on the 8th, leaving 20 that expire: no usable stock on the 21st; 50 of
  // another lot on the 22nd, all opened for 48 children on the 25th: none from the 25th to the
  // 30th. Stock-out days 1 + 6 = 7 of the 28 it was held. The expired 20 are discarded on the 28th.
  const gampingShort = await createTestLot(db, bcg, "2026-11-20");
  const gampingLong = await createTestLot(db, bcg, "2027-05-01");
  await recordTestMovement(db, { ...lot(gamping, bcg, gampingShort), type: "receipt", quantity: 100, at: nov(3) });
  await recordTestMovement(db, {
    ...lot(gamping, bcg, gampingShort),
    type: "usage",
    quantity: -80,
    dosesAdministered: 75,
    at: nov(8),
  });
  await recordTestMovement(db, { ...lot(gamping, bcg, gampingLong), type: "receipt", quantity: 50, at: nov(22) });
  await recordTestMovement(db, {
    ...lot(gamping, bcg, gampingLong),
    type: "usage",
    quantity: -50,
    dosesAdministered: 48,
    at: nov(25),
  });
  await recordTestMovement(db, {
    ...lot(gamping, bcg, gampingShort),
    type: "discard",
    quantity: -20,
    reason: "expired",
    at: nov(28),
  });
  // Gamping, bOPV: 60 doses to 15 February and 10 that expired on 25 November, both since October.
  const polioLong = await createTestLot(db, polio, "2027-02-15");
  const polioExpired = await createTestLot(db, polio, "2026-11-25");
  for (const [batchId, quantity] of [
    [polioLong, 60],
    [polioExpired, 10],
  ] as const) {
    await recordTestMovement(db, {
      ...lot(gamping, polio, batchId),
      type: "receipt",
      quantity,
      at: new Date("2026-10-15T03:00:00Z"),
    });
  }
  // Gamping, MR: never held, but a minimum level says it should be: out every day of November.
  await db.insert(stockLevels).values({ orgUnitId: gamping.id, itemId: measles, minMonths: 1, maxMonths: 2 });
  // The Sleman district store holds 500 BCG doses expiring in 45 days.
  const storeLot = await createTestLot(db, bcg, "2027-01-15");
  await recordTestMovement(db, {
    ...lot(sleman, bcg, storeLot),
    type: "receipt",
    quantity: 500,
    at: new Date("2026-10-01T03:00:00Z"),
  });

  // Bantul's Sewon: 100 given of 100 opened; a lot expiring in 9 days. Never in Sleman's reports.
  const sewonLot = await createTestLot(db, bcg, "2026-12-10");
  await recordTestMovement(db, {
    ...lot(sewon, bcg, sewonLot),
    type: "receipt",
    quantity: 999,
    at: new Date("2026-10-01T03:00:00Z"),
  });
  await recordTestMovement(db, {
    ...lot(sewon, bcg, sewonLot),
    type: "usage",
    quantity: -100,
    dosesAdministered: 100,
    at: nov(9),
  });
});
afterAll(async () => {
  await database?.destroy();
});

const view = (scope: OrgUnit, input: Omit<Parameters<typeof viewReport>[2], "limit">) =>
  viewReport(database.db, scope, { limit: 50, ...input }, now);

/** Every page of a report, `limit` rows at a time. */
async function allPages(scope: OrgUnit, input: Omit<Parameters<typeof viewReport>[2], "limit">, limit: number) {
  const rows: (string | number | null)[][] = [];
  let cursor = input.cursor ?? null;
  do {
    const page: Awaited<ReturnType<typeof viewReport>> = await viewReport(
      database.db,
      scope,
      { ...input, cursor, limit },
      now,
    );
    rows.push(...page.rows);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

describe("consumption and wastage report", () => {
  it("gives each facility's doses given and wasted per vaccine in the period, and the wastage rate", async () => {
    const report = await view(sleman, { report: "consumption_wastage", parameters: november });
    expect(report.totalRows).toBe(3);
    // facility, vaccine, given, wasted opened, wasted closed, wasted, rate %
    expect(report.rows.map((row) => [row[2], row[4], ...row.slice(5)])).toEqual([
      ["Puskesmas Depok", "BCG", 30, 30, 20, 50, 62.5],
      // 130 opened for 123 children; the 20 expired doses discarded are closed-vial wastage.
      ["Puskesmas Gamping", "BCG", 123, 7, 20, 27, 18],
      ["Puskesmas Gamping", "bOPV", 0, 0, 0, 0, null],
    ]);
    // One vaccine only, and a period without the movements.
    const polioOnly = await view(sleman, {
      report: "consumption_wastage",
      parameters: { ...november, itemId: polio },
    });
    expect(polioOnly.rows.map((row) => row[4])).toEqual(["bOPV"]);
    const october = await view(sleman, {
      report: "consumption_wastage",
      parameters: { from: "2026-10-01", to: "2026-10-31" },
    });
    expect(october.rows.map((row) => row[9])).toEqual([null, null, null]);
  });

  it("groups by district for a province, each district holding only its own facilities", async () => {
    const report = await view(province, { report: "consumption_wastage", parameters: november });
    expect(report.totalRows).toBe(3);
    const byDistrict = Object.fromEntries(report.rows.map((row) => [`${row[0]}/${row[4]}`, row.slice(5)]));
    expect(byDistrict).toEqual({
      // 190 opened for 153 children: 37 wasted opened; 40 closed; 77 of 230.
      "Sleman/BCG": [153, 37, 40, 77, 33.5],
      "Sleman/bOPV": [0, 0, 0, 0, null],
      "Bantul/BCG": [100, 0, 0, 0, 0],
    });
    expect(report.rows.every((row) => row[1] === "" && row[2] === "")).toBe(true);
    const byFacility = await view(province, {
      report: "consumption_wastage",
      parameters: { ...november, groupBy: "facility" },
    });
    expect(byFacility.rows.map((row) => row[2])).toContain("Puskesmas Sewon");
    expect(byFacility.totalRows).toBe(4);
  });

  it("never shows another district's facilities to a district", async () => {
    const bantulReport = await view(bantul, { report: "consumption_wastage", parameters: november });
    expect(bantulReport.rows.map((row) => [row[2], row[5]])).toEqual([["Puskesmas Sewon", 100]]);
    const slemanRows = await allPages(sleman, { report: "consumption_wastage", parameters: november }, 1);
    expect(slemanRows).toHaveLength(3);
    expect(slemanRows.flat()).not.toContain("Puskesmas Sewon");
  });
});

describe("stock-out days report", () => {
  it("counts the days each facility ended with no usable stock, expired lots included as none", async () => {
    const report = await view(sleman, { report: "stock_out_days", parameters: november });
    expect(report.totalRows).toBe(4);
    // facility, vaccine, stock-out days, days counted, days in the period
    expect(report.rows.map((row) => [row[2], row[4], ...row.slice(5)])).toEqual([
      ["Puskesmas Depok", "BCG", 0, 30, 30],
      ["Puskesmas Gamping", "BCG", 7, 28, 30],
      ["Puskesmas Gamping", "bOPV", 0, 30, 30],
      ["Puskesmas Gamping", "MR", 30, 30, 30],
    ]);
    // Up to 24 November only: the day after the first lot expired.
    const early = await view(sleman, {
      report: "stock_out_days",
      parameters: { from: "2026-11-01", to: "2026-11-24", itemId: bcg },
    });
    expect(early.rows.map((row) => [row[2], row[5], row[6]])).toEqual([
      ["Puskesmas Depok", 0, 24],
      ["Puskesmas Gamping", 1, 22],
    ]);
  });

  it("pages a facility at a time without losing or repeating a row, and keeps to the district", async () => {
    const rows = await allPages(sleman, { report: "stock_out_days", parameters: november }, 1);
    expect(rows.map((row) => `${row[2]}/${row[4]}`)).toEqual([
      "Puskesmas Depok/BCG",
      "Puskesmas Gamping/BCG",
      "Puskesmas Gamping/bOPV",
      "Puskesmas Gamping/MR",
    ]);
    const bantulReport = await view(bantul, { report: "stock_out_days", parameters: november });
    expect(bantulReport.rows.map((row) => [row[2], row[5]])).toEqual([["Puskesmas Sewon", 0]]);
  });
});

describe("stock-out days before a facility keeps its stock book here", () => {
  it("counts a minimum level's days only from the facility's first ledger entry", async () => {
    // A province of its own, so the other tests' province figures stay as worked out above.
    const db = database.db;
    const national = await createOrgUnit(db, { parent: null, level: "national", name: "Elsewhere" });
    const jateng = await createOrgUnit(db, { parent: national, level: "province", name: "Jawa Tengah" });
    const klaten = await createOrgUnit(db, { parent: jateng, level: "district", name: "Klaten" });
    const wedi = await createOrgUnit(db, { parent: klaten, level: "facility", name: "Puskesmas Wedi" });
    // Wedi starts its stock book on 11 November with bOPV; MR has a minimum level and never comes.
    const wediPolio = await createTestLot(db, polio, "2027-03-31");
    await recordTestMovement(db, {
      store: wedi,
      itemId: polio,
      batchId: wediPolio,
      type: "receipt",
      quantity: 30,
      at: nov(11),
    });
    await db.insert(stockLevels).values({ orgUnitId: wedi.id, itemId: measles, minMonths: 1, maxMonths: 2 });

    const report = await view(klaten, { report: "stock_out_days", parameters: november });
    // facility, vaccine, stock-out days, days counted, days in the period: 11–30 November is 20 days.
    expect(report.rows.map((row) => [row[2], row[4], ...row.slice(5)])).toEqual([
      ["Puskesmas Wedi", "bOPV", 0, 20, 30],
      ["Puskesmas Wedi", "MR", 20, 20, 30],
    ]);
  });
});

describe("expiry report", () => {
  it("lists the lots held in scope that expire within the window, soonest first, expired ones too", async () => {
    const report = await view(sleman, { report: "expiry", parameters: {} });
    expect(report.totalRows).toBe(4);
    // store, vaccine, expiry, days left, doses, VVM
    expect(report.rows.map((row) => [row[2], row[4], ...row.slice(6)])).toEqual([
      ["Puskesmas Gamping", "bOPV", "2026-11-25", -6, 10, 1],
      ["Puskesmas Depok", "BCG", "2026-12-21", 20, 40, 2],
      ["Sleman", "BCG", "2027-01-15", 45, 500, 1],
      ["Puskesmas Gamping", "bOPV", "2027-02-15", 76, 60, 1],
    ]);
    expect(report.rows[2]?.[0]).toBe("Sleman");
    const within30 = await view(sleman, { report: "expiry", parameters: { expiry: "within_30" } });
    expect(within30.rows.map((row) => row[6])).toEqual(["2026-11-25", "2026-12-21"]);
    const expired = await view(sleman, { report: "expiry", parameters: { expiry: "expired" } });
    expect(expired.rows.map((row) => [row[2], row[8]])).toEqual([["Puskesmas Gamping", 10]]);
    const rows = await allPages(sleman, { report: "expiry", parameters: {} }, 1);
    expect(rows.map((row) => row[6])).toEqual(["2026-11-25", "2026-12-21", "2027-01-15", "2027-02-15"]);
  });

  it("shows a district its own lots only", async () => {
    const bantulReport = await view(bantul, { report: "expiry", parameters: { expiry: "within_30" } });
    expect(bantulReport.rows.map((row) => [row[2], row[6], row[8]])).toEqual([["Puskesmas Sewon", "2026-12-10", 899]]);
    const slemanRows = await view(sleman, { report: "expiry", parameters: { expiry: "within_90" } });
    expect(slemanRows.rows.flat()).not.toContain("Puskesmas Sewon");
  });
});

describe("sensor uptime report", () => {
  it("counts readings expected and received from the hourly rollups, the longest gap and the last reading", async () => {
    const db = database.db;
    const depokFridge = await createFridgeWithSensor(db, { facility: depok, name: "Fridge A" });
    const gampingFridge = await createFridgeWithSensor(db, { facility: gamping, name: "Fridge B" });
    const sewonFridge = await createFridgeWithSensor(db, { facility: sewon, name: "Fridge C" });
    // Installed at noon WIB of the day (05:00 UTC), silent since: half a day expected, all missed.
    const noonFridge = await createFridgeWithSensor(db, { facility: depok, name: "Fridge D" });
    // Installed after the day: nothing was expected of it then.
    const laterFridge = await createFridgeWithSensor(db, { facility: gamping, name: "Fridge E" });
    await db
      .update(sensors)
      .set({ createdAt: new Date("2026-11-01T00:00:00Z") })
      .where(inArray(sensors.id, [depokFridge.sensorId, gampingFridge.sensorId, sewonFridge.sensorId]));
    await db
      .update(sensors)
      .set({ createdAt: new Date("2026-11-30T05:00:00Z") })
      .where(eq(sensors.id, noonFridge.sensorId));
    await db
      .update(sensors)
      .set({ createdAt: new Date("2026-12-01T03:00:00Z") })
      .where(eq(sensors.id, laterFridge.sensorId));
    // 30 November WIB is 29 Nov 17:00 – 30 Nov 17:00 UTC. Depok's sensor (every 5 minutes, 288 a
    // day) reported in hours 0–4 and 10–21 of it, 12 readings each: 17 × 12 = 204; gaps of 5
    // hours (5–9) and 2 (22–23).
    const dayStart = Date.parse("2026-11-29T17:00:00Z");
    const hours = [...Array.from({ length: 5 }, (_, h) => h), ...Array.from({ length: 12 }, (_, h) => h + 10)];
    await db.insert(readingRollupsHourly).values(
      hours.map((hour) => ({
        sensorId: depokFridge.sensorId,
        bucketStart: new Date(dayStart + hour * 3_600_000),
        minCentiC: 400,
        maxCentiC: 600,
        sumCentiC: 12 * 500,
        count: 12,
      })),
    );
    // Readings outside the day count for nothing; Sewon's sensor never appears in Sleman's report.
    await db.insert(readingRollupsHourly).values([
      {
        sensorId: depokFridge.sensorId,
        bucketStart: new Date(dayStart - 3_600_000),
        minCentiC: 1,
        maxCentiC: 1,
        sumCentiC: 12,
        count: 12,
      },
      {
        sensorId: sewonFridge.sensorId,
        bucketStart: new Date(dayStart),
        minCentiC: 1,
        maxCentiC: 1,
        sumCentiC: 12,
        count: 12,
      },
    ]);
    const lastReadingAt = new Date("2026-11-30T14:55:00Z");
    await db.insert(sensorStates).values({
      sensorId: depokFridge.sensorId,
      lastReadingAt,
      lastTempCentiC: 500,
      lastReceivedAt: lastReadingAt,
    });

    const report = await view(sleman, {
      report: "sensor_uptime",
      parameters: { from: "2026-11-30", to: "2026-11-30" },
    });
    expect(report.totalRows).toBe(4);
    // fridge, sensor, expected, received, uptime %, longest gap (h), last reading
    expect(report.rows.map((row) => [row[3], ...row.slice(5)])).toEqual([
      ["Fridge A", 288, 204, 70.8, 5, lastReadingAt.toISOString()],
      ["Fridge B", 288, 0, 0, 24, null],
      ["Fridge D", 144, 0, 0, 12, null],
      ["Fridge E", 0, 0, null, 0, null],
    ]);
    expect(report.rows.map((row) => row[4])).toEqual([
      depokFridge.deviceId,
      gampingFridge.deviceId,
      noonFridge.deviceId,
      laterFridge.deviceId,
    ]);
    const bantulReport = await view(bantul, {
      report: "sensor_uptime",
      parameters: { from: "2026-11-30", to: "2026-11-30" },
    });
    expect(bantulReport.rows.map((row) => [row[3], row[6]])).toEqual([["Fridge C", 12]]);
  });
});

describe("exports of the new reports", () => {
  it("writes the stock-out days report as CSV with the same figures as the screen", async () => {
    const user = await createUser(database.db, { orgUnit: sleman, role: "district_officer" });
    const actor: Actor = {
      userId: user.id,
      name: "Officer",
      email: user.email,
      role: "district_officer",
      locale: "id",
      orgUnitId: sleman.id,
      orgUnitName: sleman.name,
      orgUnitPath: sleman.path,
      sessionVersion: 0,
    };
    const officer: DomainContext = { db: database.db, actor, meta: { requestId: "test", ip: null, userAgent: null } };
    const exported = await requestReportExport(
      officer,
      sleman,
      { report: "stock_out_days", format: "csv", parameters: november, requestKey: randomUUID() },
      async () => {},
    );
    const rawLabels = (): ReportLabels => ({
      header: (column: ReportColumn) => column.key,
      code: (column: ReportColumn, value: string) => `${column.key}:${value}`,
      sheetName: (report) => report,
    });
    expect(await runReportExport(database.db, exported.id, { labelsFor: rawLabels, pageRows: 1, now })).toBe("done");
    const file = await openReportExportFile(officer, exported.id, now);
    expect(file.fileName).toMatch(/^rantai-stock-out-days-/);
    const pieces: Buffer[] = [];
    for await (const piece of file.pieces) pieces.push(piece);
    const lines = Buffer.concat(pieces)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe("district,facilityCode,facility,itemCode,item,stockOutDays,daysObserved,periodDays");
    expect(lines.slice(1).map((line) => line.split(",").filter((_, index) => index !== 1 && index !== 3))).toEqual([
      ["Sleman", "Puskesmas Depok", "BCG", "0", "30", "30"],
      ["Sleman", "Puskesmas Gamping", "BCG", "7", "28", "30"],
      ["Sleman", "Puskesmas Gamping", "bOPV", "0", "30", "30"],
      ["Sleman", "Puskesmas Gamping", "MR", "30", "30", "30"],
    ]);
  });
});
