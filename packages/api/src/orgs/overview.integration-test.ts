import type { DomainContext } from "@rantai/core/kernel";
import { getStockSummary, recordUsage, refreshConsumptionRatesUnder } from "@rantai/core/stock";
import { createTestAlarm } from "@rantai/core/testing";
import { alarms, type OrgUnit, sensorStates } from "@rantai/db";
import { createOrgUnit } from "@rantai/db/factories";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, dateInDays, newKey, receiveLot, stockContextFor, type TestItem } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";

/**
 * A hand-worked province (default facility levels: min 1, max 2 months; AMC over the stores' own
 * 60 days of history, no stock-out unless said):
 *   A1  V: 1,000 in −60 d, 600 used −30 d, + a lot of 100 expiring in 20 d → usable 500,
 *          AMC ceil(600 × 30/60) = 300, MOS 1.67 → normal
 *       W: 50 in −5 d expiring in 50 d, no use → AMC 0 → unknown
 *       fridge: fresh reading, online; live HEAT and FREEZE alarms started 2 h ago
 *  A2  V: 100 in −60 d, 100 used −30 d, + 30 already expired received −5 d → usable 0; the ledger
 *          counts 25 stock-out days of 60, so AMC = ceil(100 × 60/35 × 30/60) = 86 → stock_out
 *       W: 1,000 in −60 d, 100 used −30 d → usable 900, AMC 50, MOS 18 → above_max
 *       fridge: last reading 3 h ago (silent), broker says offline; live NO_DATA alarm, 3 days old, acknowledged
 *  B1  V: 1,000 in −60 d, 900 used −30 d → usable 100, AMC 450, MOS 0.22 → below_min
 *       fridge: never read (silent); a LOW_BATTERY alarm 8 days old (live) and a resolved FREEZE
 *  C   a district of 120 facilities with neither stock nor fridges (more than a page).
 * Doses at risk: A1 heat ∪ freeze = V 500 + W 50 = 550 (not 1,050); A2 no data (heat) = W 900.
 */
let world: ApiTestWorld;
let admin: DomainContext;
let vaccineV: TestItem;
let vaccineW: TestItem;
let districtC: OrgUnit;
const extraFacilities: OrgUnit[] = [];
const DAY = 86_400_000;
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms);

async function use(store: number, batchId: number, doses: number, at: Date) {
  await recordUsage(admin, {
    idempotencyKey: newKey(),
    orgUnitId: store,
    occurredAt: at,
    lines: [{ batchId, vialsOpened: doses / 10, dosesAdministered: doses }],
  });
}

beforeAll(async () => {
  world = await createApiTestWorld("orgs_overview");
  admin = await stockContextFor(world, world.people.nationalAdmin.id);
  vaccineV = await createItem(world.db, { dosesPerVial: 10, name: "Penta", freezeSensitive: true });
  vaccineW = await createItem(world.db, { dosesPerVial: 10, name: "BCG", freezeSensitive: false });
  const { facilityA1: a1, facilityA2: a2, facilityB1: b1 } = world.units;

  const a1v = await receiveLot(admin, a1.id, vaccineV, 1000, { occurredAt: ago(60 * DAY) });
  await use(a1.id, a1v, 600, ago(30 * DAY));
  await receiveLot(admin, a1.id, vaccineV, 100, { expiryDate: dateInDays(20), occurredAt: ago(DAY) });
  await receiveLot(admin, a1.id, vaccineW, 50, { expiryDate: dateInDays(50), occurredAt: ago(5 * DAY) });

  const a2v = await receiveLot(admin, a2.id, vaccineV, 100, { occurredAt: ago(60 * DAY) });
  await use(a2.id, a2v, 100, ago(30 * DAY));
  await receiveLot(admin, a2.id, vaccineV, 30, { expiryDate: dateInDays(-1), occurredAt: ago(5 * DAY) });
  const a2w = await receiveLot(admin, a2.id, vaccineW, 1000, { occurredAt: ago(60 * DAY) });
  await use(a2.id, a2w, 100, ago(30 * DAY));

  const b1v = await receiveLot(admin, b1.id, vaccineV, 1000, { occurredAt: ago(60 * DAY) });
  await use(b1.id, b1v, 900, ago(30 * DAY));

  const fridge = (unit: OrgUnit, key: "facilityA1" | "facilityA2" | "facilityB1") => ({
    ...world.fridges[key],
    facilityId: unit.id,
  });
  const state = (sensorId: number, lastReadingAt: Date, online: boolean) => ({
    sensorId,
    lastReadingAt,
    lastTempCentiC: 500,
    lastReceivedAt: lastReadingAt,
    online,
  });
  await world.db
    .insert(sensorStates)
    .values([
      state(world.fridges.facilityA1.sensorId, ago(5 * 60_000), true),
      state(world.fridges.facilityA2.sensorId, ago(3 * HOUR), false),
    ]);
  await createTestAlarm(world.db, fridge(a1, "facilityA1"), { type: "heat", startedAt: ago(2 * HOUR) });
  await createTestAlarm(world.db, fridge(a1, "facilityA1"), { type: "freeze", startedAt: ago(2 * HOUR) });
  const noData = await createTestAlarm(world.db, fridge(a2, "facilityA2"), {
    type: "no_data",
    startedAt: ago(3 * DAY),
  });
  await world.db
    .update(alarms)
    .set({ status: "acknowledged", acknowledgedAt: new Date() })
    .where(eq(alarms.id, noData));
  await createTestAlarm(world.db, fridge(b1, "facilityB1"), { type: "low_battery", startedAt: ago(8 * DAY) });
  await createTestAlarm(world.db, fridge(b1, "facilityB1"), {
    type: "freeze",
    status: "resolved",
    startedAt: ago(10 * DAY),
  });

  districtC = await createOrgUnit(world.db, { parent: world.units.province, level: "district", name: "Kabupaten C" });
  for (let index = 0; index < 120; index += 1) {
    // Names repeat, so paging must break ties by id.
    const name = `Puskesmas Cangkringan ${index % 7}`;
    extraFacilities.push(await createOrgUnit(world.db, { parent: districtC, level: "facility", name }));
  }
  await refreshConsumptionRatesUnder(world.db, world.units.national.path);
}, 120_000);

afterAll(async () => {
  await world?.destroy();
});

describe("consumption rates", () => {
  it("are the stock summary's own AMC, per store and vaccine", async () => {
    const summary = await getStockSummary(world.db, world.units.facilityA2, 3);
    const amc = new Map(summary.items.map((item) => [item.itemId, item.averageMonthlyConsumption]));
    expect([amc.get(vaccineV.id), amc.get(vaccineW.id)]).toEqual([86, 50]);
    const [row] = (
      await (
        await world.callerFor(world.people.districtOfficerA.id)
      ).orgs.facilities({
        search: "Mlati",
      })
    ).items;
    const figures = new Map(row?.stock.items.map((item) => [item.itemId, item.averageMonthlyConsumption]));
    expect([figures.get(vaccineV.id), figures.get(vaccineW.id)]).toEqual([86, 50]);
  });
});

/** The figures a unit expects, in the order the overview presents them. */
function counts(
  figures: Awaited<ReturnType<Awaited<ReturnType<ApiTestWorld["callerFor"]>>["orgs"]["overview"]>>["totals"],
) {
  return {
    facilities: figures.facilities,
    stockOut: figures.stock.stockOut.facilities,
    belowMin: figures.stock.belowMin.facilities,
    aboveMax: figures.stock.aboveMax.facilities,
    expiring: figures.stock.expiring.map((window) => [window.withinDays, window.facilities, window.doses]),
    fridges: figures.coldchain.fridges,
    inAlarm: figures.coldchain.inAlarm.fridges,
    offline: figures.coldchain.offline.fridges,
    silent: figures.coldchain.silent.fridges,
    alarmsByAge: figures.alarms.byAge.map((bucket) => [bucket.bucket, bucket.alarms]),
    dosesAtRisk: [figures.dosesAtRisk.doses, figures.dosesAtRisk.facilities],
  };
}

const districtAExpected = {
  facilities: 2,
  stockOut: 1,
  belowMin: 0,
  aboveMax: 1,
  expiring: [
    [30, 1, 100],
    [60, 1, 150],
    [90, 1, 150],
  ],
  fridges: 2,
  inAlarm: 1,
  offline: 1,
  silent: 1,
  alarmsByAge: [
    ["under_1_day", 2],
    ["1_to_7_days", 1],
    ["over_7_days", 0],
  ],
  dosesAtRisk: [1450, 2],
};
const districtBExpected = {
  facilities: 1,
  stockOut: 0,
  belowMin: 1,
  aboveMax: 0,
  expiring: [
    [30, 0, 0],
    [60, 0, 0],
    [90, 0, 0],
  ],
  fridges: 1,
  inAlarm: 0,
  offline: 0,
  silent: 1,
  alarmsByAge: [
    ["under_1_day", 0],
    ["1_to_7_days", 0],
    ["over_7_days", 1],
  ],
  dosesAtRisk: [0, 0],
};
const districtCExpected = {
  ...districtBExpected,
  facilities: 120,
  belowMin: 0,
  fridges: 0,
  silent: 0,
  alarmsByAge: [
    ["under_1_day", 0],
    ["1_to_7_days", 0],
    ["over_7_days", 0],
  ],
};

describe("orgs.overview", () => {
  it("counts every facility of a province, and each district's figures, as worked by hand", async () => {
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const overview = await caller.orgs.overview({});
    expect(overview.scope.id).toBe(world.units.province.id);
    expect(counts(overview.totals)).toEqual({
      facilities: 123,
      stockOut: 1,
      belowMin: 1,
      aboveMax: 1,
      expiring: districtAExpected.expiring,
      fridges: 3,
      inAlarm: 1,
      offline: 1,
      silent: 2,
      alarmsByAge: [
        ["under_1_day", 2],
        ["1_to_7_days", 1],
        ["over_7_days", 1],
      ],
      dosesAtRisk: [1450, 2],
    });
    const byId = new Map(overview.children.map((child) => [child.id, counts(child.figures)]));
    expect(byId.get(world.units.districtA.id)).toEqual(districtAExpected);
    expect(byId.get(world.units.districtB.id)).toEqual(districtBExpected);
    expect(byId.get(districtC.id)).toEqual(districtCExpected);
    expect(overview.children).toHaveLength(3);
    expect(overview.consumptionRatesComputedAt).toBeInstanceOf(Date);
  });

  it("drills down from a district to its facilities, and to one facility", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const district = await caller.orgs.overview({});
    expect(counts(district.totals)).toEqual(districtAExpected);
    const a1 = district.children.find((child) => child.id === world.units.facilityA1.id);
    expect(a1 && counts(a1.figures)).toMatchObject({
      facilities: 1,
      stockOut: 0,
      inAlarm: 1,
      expiring: [
        [30, 1, 100],
        [60, 1, 150],
        [90, 1, 150],
      ],
      dosesAtRisk: [550, 1],
    });
    const facility = await caller.orgs.overview({ orgUnitId: world.units.facilityA2.id });
    expect(facility.children).toEqual([]);
    expect(counts(facility.totals)).toMatchObject({ facilities: 1, stockOut: 1, aboveMax: 1, dosesAtRisk: [900, 1] });
  });

  it("links each figure to the list that shows what it counts", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const { totals } = await caller.orgs.overview({});
    const links = [
      totals.stock.stockOut,
      totals.stock.belowMin,
      totals.stock.aboveMax,
      ...totals.stock.expiring,
      totals.coldchain.inAlarm,
      totals.coldchain.offline,
      totals.coldchain.silent,
      totals.dosesAtRisk,
    ];
    for (const figure of links) {
      if (figure.link.list !== "facilities") throw new Error("facility figures link to the facility table");
      const listed = await caller.orgs.facilities({ orgUnitId: figure.link.orgUnitId, status: figure.link.status });
      expect([figure.link.status, listed.total]).toEqual([figure.link.status, figure.facilities]);
    }
    expect(totals.alarms.byAge[1]?.link).toEqual({
      list: "alarms",
      orgUnitId: world.units.districtA.id,
      status: "live",
      age: "1_to_7_days",
    });
  });

  it("refuses a unit of another district, as it refuses an id that does not exist", async () => {
    const caller = await world.callerFor(world.people.districtOfficerB.id);
    for (const orgUnitId of [world.units.districtA.id, world.units.facilityA1.id, 99_999_999]) {
      const error = await errorOf(caller.orgs.overview({ orgUnitId }));
      expect([error.code, error.cause && "reason" in error.cause ? error.cause.reason : null]).toEqual([
        "FORBIDDEN",
        "scope.forbidden",
      ]);
    }
  });
});

describe("orgs.facilities", () => {
  const allIds = () => [
    world.units.facilityA1.id,
    world.units.facilityA2.id,
    world.units.facilityB1.id,
    ...extraFacilities.map((f) => f.id),
  ];

  it("shows each facility's stock per antigen, cold chain and last sync", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const page = await caller.orgs.facilities({ search: "Mlati" });
    expect(page.total).toBe(1);
    const [a2] = page.items;
    expect(a2).toMatchObject({
      id: world.units.facilityA2.id,
      district: { id: world.units.districtA.id, name: "Kabupaten Sleman" },
      stock: { status: "stock_out", vaccines: 2, stockOutItems: 1, aboveMaxItems: 1 },
      coldchain: { status: "offline", fridges: 1, inAlarm: 0, offline: 1, silent: 1 },
      threateningAlarms: 1,
    });
    expect(a2?.lastSyncAt).toBeInstanceOf(Date);
    expect(a2?.stock.items.find((item) => item.itemId === vaccineW.id)).toMatchObject({
      usableStock: 900,
      averageMonthlyConsumption: 50,
      monthsOfStock: 18,
      status: "above_max",
      minMonths: 1,
      maxMonths: 2,
    });
    expect(a2?.stock.items.find((item) => item.itemId === vaccineV.id)).toMatchObject({
      stockOnHand: 30,
      usableStock: 0,
      monthsOfStock: 0,
      status: "stock_out",
    });
    const a1 = (await caller.orgs.facilities({ search: "Depok" })).items[0];
    expect(a1?.stock.items.find((item) => item.itemId === vaccineV.id)).toMatchObject({
      usableStock: 500,
      monthsOfStock: 1.67,
      status: "normal",
    });
    expect(a1?.stock.items.find((item) => item.itemId === vaccineW.id)?.status).toBe("unknown");
    expect(a1?.coldchain.status).toBe("alarm");
  });

  it("filters by the overview's figures", async () => {
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const idsOf = async (status: Parameters<typeof caller.orgs.facilities>[0]["status"]) =>
      (await caller.orgs.facilities({ status })).items.map((row) => row.id).sort((a, b) => a - b);
    const { facilityA1: a1, facilityA2: a2, facilityB1: b1 } = world.units;
    expect(await idsOf("stock_out")).toEqual([a2.id]);
    expect(await idsOf("below_min")).toEqual([b1.id]);
    expect(await idsOf("above_max")).toEqual([a2.id]);
    expect(await idsOf("expiring_30_days")).toEqual([a1.id]);
    expect(await idsOf("fridge_in_alarm")).toEqual([a1.id]);
    expect(await idsOf("fridge_offline")).toEqual([a2.id]);
    expect(await idsOf("fridge_silent")).toEqual([a2.id, b1.id]);
    expect(await idsOf("stock_at_risk")).toEqual([a1.id, a2.id]);
    const inDistrictC = await caller.orgs.facilities({ orgUnitId: districtC.id, search: "Cangkringan 3", limit: 100 });
    expect(inDistrictC.total).toBe(extraFacilities.filter((f) => f.name.endsWith(" 3")).length);
  });

  const sorts = [
    { sort: "name" },
    { sort: "stock_status" },
    { sort: "cold_chain_status" },
    { sort: "last_sync" },
    { sort: "months_of_stock" },
  ] as const;
  for (const { sort } of sorts) {
    for (const direction of ["asc", "desc"] as const) {
      it(`visits every facility exactly once, sorted by ${sort} ${direction}, a page at a time`, async () => {
        const caller = await world.callerFor(world.people.provinceOfficer.id);
        const itemId = sort === "months_of_stock" ? vaccineV.id : undefined;
        const seen: number[] = [];
        const ranks: number[] = [];
        let cursor: { key: string | number; id: number } | undefined;
        let total: number | null = null;
        for (let pages = 0; pages < 30; pages += 1) {
          const page = await caller.orgs.facilities({ sort, direction, itemId, limit: 17, cursor });
          if (pages === 0) total = page.total;
          seen.push(...page.items.map((row) => row.id));
          if (sort === "stock_status") ranks.push(...page.items.map((row) => stockRank[row.stock.status]));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(total).toBe(123);
        expect(seen).toHaveLength(123);
        expect(new Set(seen)).toEqual(new Set(allIds()));
        if (sort === "stock_status") {
          const sorted = [...ranks].sort((a, b) => (direction === "asc" ? a - b : b - a));
          expect(ranks).toEqual(sorted);
        }
        if (sort === "months_of_stock" && direction === "asc") {
          // A2 at 0 months, B1 at 0.22, A1 at 1.67; facilities without the vaccine last.
          const { facilityA1: a1, facilityA2: a2, facilityB1: b1 } = world.units;
          expect(seen.slice(0, 3)).toEqual([a2.id, b1.id, a1.id]);
        }
      });
    }
  }

  it("refuses another district's unit and a sort cursor of another sort", async () => {
    const caller = await world.callerFor(world.people.districtOfficerB.id);
    const refused = await errorOf(caller.orgs.facilities({ orgUnitId: world.units.districtA.id }));
    expect(refused.code).toBe("FORBIDDEN");
    const invalid = await errorOf(
      caller.orgs.facilities({ sort: "stock_status", cursor: { key: "Puskesmas", id: 1 } }),
    );
    expect(invalid.code).toBe("BAD_REQUEST");
    const noItem = await errorOf(caller.orgs.facilities({ sort: "months_of_stock" }));
    expect(noItem.code).toBe("BAD_REQUEST");
  });
});

const stockRank = { stock_out: 0, below_min: 1, above_max: 2, unknown: 3, normal: 4, none: 5 } as const;
