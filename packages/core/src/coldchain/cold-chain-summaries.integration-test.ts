import { type Database, facilityColdChainSummaries, type OrgUnit, sensorStates } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import type { TestDatabase } from "@rantai/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listFacilityFigures, ZListFacilityFiguresSchema } from "../orgs/facility-table";
import { getOverview } from "../orgs/overview";
import { createOrgsTestDatabase } from "../orgs/testing";
import { createTestAlarm } from "./alarms/testing";
import { forgetFacilityColdChainSummary, refreshFacilityColdChainSummaries } from "./cold-chain-summaries";
import { COLD_CHAIN_SUMMARY_MAX_AGE_MS } from "./scope-figures";

/**
 * The overview and the facility table read each facility's fridges, offline and silent counts
 * from its summary row while the row holds, and count them live otherwise: the figures must be
 * the live ones either way — a fridge falling silent after the refresh, a new alarm, a row past
 * its age — and the row must really be read while it holds.
 */
const MINUTE = 60_000;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (ms: number) => new Date(now.getTime() + ms);

let database: TestDatabase;
let db: Database;
let district: OrgUnit;
/** name → facility and its fridge (none for "empty"). */
const sites = new Map<string, { unit: OrgUnit; fridge: { equipmentId: number; sensorId: number } | null }>();

/** Each facility's cold-chain figures in the table, by facility name. */
async function tableFigures(when: Date) {
  const page = await listFacilityFigures(db, district, ZListFacilityFiguresSchema.parse({ limit: 100 }), when);
  return Object.fromEntries(page.items.map((row) => [row.name, row.coldchain]));
}

async function overviewFigures(when: Date) {
  const { totals } = await getOverview(db, district, when);
  return {
    fridges: totals.coldchain.fridges,
    inAlarm: totals.coldchain.inAlarm.fridges,
    offline: totals.coldchain.offline.fridges,
    silent: totals.coldchain.silent.fridges,
  };
}

async function addSite(name: string, state: { lastReadingAgoMs: number; online?: boolean } | null) {
  const unit = await createOrgUnit(db, { parent: district, level: "facility", name });
  if (!state) {
    sites.set(name, { unit, fridge: null });
    return;
  }
  const fridge = await createFridgeWithSensor(db, { facility: unit });
  const lastReadingAt = at(-state.lastReadingAgoMs);
  await db.insert(sensorStates).values({
    sensorId: fridge.sensorId,
    lastReadingAt,
    lastTempCentiC: 500,
    lastReceivedAt: lastReadingAt,
    online: state.online ?? null,
  });
  sites.set(name, { unit, fridge });
}

function site(name: string) {
  const found = sites.get(name);
  if (!found) throw new Error(`no site ${name}`);
  return found;
}

beforeAll(async () => {
  database = await createOrgsTestDatabase("cold_chain_summaries");
  db = database.db;
  const national = await createOrgUnit(db, { parent: null, level: "national" });
  district = await createOrgUnit(db, { parent: national, level: "district" });
  // Sensors log every 5 minutes: silent after 60 minutes without a reading.
  await addSite("A fresh", { lastReadingAgoMs: 10 * MINUTE });
  await addSite("B falls silent in a minute", { lastReadingAgoMs: 59 * MINUTE });
  await addSite("C silent", { lastReadingAgoMs: 120 * MINUTE });
  await addSite("D offline", { lastReadingAgoMs: 5 * MINUTE, online: false });
  await addSite("E no fridge", null);
});
afterAll(async () => {
  await database?.destroy();
});
beforeEach(async () => {
  await db.delete(facilityColdChainSummaries);
});

describe("facility cold-chain summaries", () => {
  it("give the figures counted live, and a row for every facility, fridges or not", async () => {
    const live = { table: await tableFigures(now), overview: await overviewFigures(now) };
    expect(live.overview).toEqual({ fridges: 4, inAlarm: 0, offline: 1, silent: 1 });

    const { facilities } = await refreshFacilityColdChainSummaries(db, now);
    expect(facilities).toBe(5);
    expect(await tableFigures(now)).toEqual(live.table);
    expect(await overviewFigures(now)).toEqual(live.overview);
  });

  it("hold until the first fresh fridge falls silent, or their maximum age", async () => {
    await refreshFacilityColdChainSummaries(db, now);
    const rows = await db.select().from(facilityColdChainSummaries);
    const validUntil = new Map(rows.map((row) => [row.orgUnitId, row.validUntil.getTime()]));
    // B's sensor read 59 minutes ago: silent one minute from now.
    expect(validUntil.get(site("B falls silent in a minute").unit.id)).toBe(at(MINUTE).getTime());
    for (const name of ["A fresh", "C silent", "E no fridge"]) {
      expect(validUntil.get(site(name).unit.id)).toBe(at(COLD_CHAIN_SUMMARY_MAX_AGE_MS).getTime());
    }
  });

  it("count a fridge that fell silent after the refresh at once", async () => {
    await refreshFacilityColdChainSummaries(db, now);
    const later = at(2 * MINUTE);
    expect(await overviewFigures(later)).toEqual({ fridges: 4, inAlarm: 0, offline: 1, silent: 2 });
    expect((await tableFigures(later))["B falls silent in a minute"]?.status).toBe("silent");
  });

  it("are read while they hold, and not after their maximum age", async () => {
    await refreshFacilityColdChainSummaries(db, now);
    // A row that disagrees with the sensors shows which one the figures came from.
    const { unit } = site("E no fridge");
    await db
      .update(facilityColdChainSummaries)
      .set({ fridges: 7, fridgesOffline: 7 })
      .where(eq(facilityColdChainSummaries.orgUnitId, unit.id));
    expect((await overviewFigures(at(30_000))).fridges).toBe(11);
    expect((await tableFigures(at(30_000)))["E no fridge"]?.offline).toBe(7);
    const lapsed = at(COLD_CHAIN_SUMMARY_MAX_AGE_MS);
    expect((await overviewFigures(lapsed)).fridges).toBe(4);
    expect((await tableFigures(lapsed))["E no fridge"]?.fridges).toBe(0);
  });

  it("leave alarms live: a new one shows without a refresh", async () => {
    await refreshFacilityColdChainSummaries(db, now);
    const { unit, fridge } = site("A fresh");
    if (!fridge) throw new Error("A has a fridge");
    const alarmId = await createTestAlarm(db, { ...fridge, facilityId: unit.id });
    expect(await overviewFigures(now)).toEqual({ fridges: 4, inAlarm: 1, offline: 1, silent: 1 });
    const row = (await tableFigures(now))["A fresh"];
    expect(row).toMatchObject({ status: "alarm", inAlarm: 1 });
    expect(alarmId).toBeGreaterThan(0);
  });

  it("once forgotten (a fridge or sensor registered, a sensor disabled), count the facility live", async () => {
    await refreshFacilityColdChainSummaries(db, now);
    const { unit } = site("E no fridge");
    await createFridgeWithSensor(db, { facility: unit });
    // Within its age the row still holds what it counted; the admin paths forget it in their transaction.
    expect((await tableFigures(now))["E no fridge"]?.fridges).toBe(0);
    await forgetFacilityColdChainSummary(db, unit.id);
    expect((await tableFigures(now))["E no fridge"]).toMatchObject({ fridges: 1, silent: 1 });
  });
});
