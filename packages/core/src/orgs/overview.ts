import { type Executor, type OrgUnit, orgUnits } from "@rantai/db";
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import {
  type AlarmAgeBucket,
  alarmAgeBuckets,
  countLiveAlarmsByAge,
  findThreateningAlarms,
  sumDosesAtRisk,
} from "../coldchain/scope-figures";
import { ZIdSchema } from "../kernel/schemas";
import { expiryWindowsDays } from "../stock/scope-figures";
import { childKeySql, type FacilityFilter, facilityFigures, facilityFilterSql } from "./facility-figures";

export const ZGetOverviewSchema = z.strictObject({
  /** A unit in the caller's scope (national, province, district or facility); defaults to the caller's own. */
  orgUnitId: ZIdSchema.optional(),
});
export type TGetOverview = z.infer<typeof ZGetOverviewSchema>;

/** What a figure links to: the facility table or the alarm inbox, with the filter that lists what it counts. */
export type OverviewLink =
  | { list: "facilities"; orgUnitId: number; status: FacilityFilter }
  | { list: "alarms"; orgUnitId: number; status: "live"; age: AlarmAgeBucket };

interface FacilityCount {
  facilities: number;
  link: OverviewLink;
}

/** Sums per group key (a child of the scope, or the facility itself when it is the scope). */
async function sumFiguresByKey(db: Executor, scope: OrgUnit, now: Date) {
  const figures = facilityFigures(db, scope, now);
  const facilitiesWhere = (filter: FacilityFilter) =>
    sql<number>`SUM(${facilityFilterSql(figures, filter)})`.mapWith(Number);
  const total = (column: SQL.Aliased<number>) => sql<number>`SUM(${column})`.mapWith(Number);
  return db
    .select({
      key: sql<number>`${figures.childKey}`.mapWith(Number),
      facilities: sql<number>`COUNT(*)`.mapWith(Number),
      stockOut: facilitiesWhere("stock_out"),
      belowMin: facilitiesWhere("below_min"),
      aboveMax: facilitiesWhere("above_max"),
      expiring30: facilitiesWhere("expiring_30_days"),
      expiring60: facilitiesWhere("expiring_60_days"),
      expiring90: facilitiesWhere("expiring_90_days"),
      expiring30Doses: total(figures.expiring30Doses),
      expiring60Doses: total(figures.expiring60Doses),
      expiring90Doses: total(figures.expiring90Doses),
      fridges: total(figures.fridges),
      fridgesInAlarm: total(figures.fridgesInAlarm),
      fridgesOffline: total(figures.fridgesOffline),
      fridgesSilent: total(figures.fridgesSilent),
      facilitiesWithFridgeInAlarm: facilitiesWhere("fridge_in_alarm"),
      facilitiesWithFridgeOffline: facilitiesWhere("fridge_offline"),
      facilitiesWithFridgeSilent: facilitiesWhere("fridge_silent"),
      facilitiesAtRisk: facilitiesWhere("stock_at_risk"),
      ratesComputedAt: sql<Date | null>`MIN(${figures.ratesComputedAt})`,
    })
    .from(figures)
    .groupBy(figures.childKey);
}
type KeyFigures = Awaited<ReturnType<typeof sumFiguresByKey>>[number];
type Counts = Omit<KeyFigures, "key" | "ratesComputedAt"> & {
  alarms: Record<AlarmAgeBucket, number>;
  dosesAtRisk: number;
};

const emptyCounts = (): Counts => ({
  facilities: 0,
  stockOut: 0,
  belowMin: 0,
  aboveMax: 0,
  expiring30: 0,
  expiring60: 0,
  expiring90: 0,
  expiring30Doses: 0,
  expiring60Doses: 0,
  expiring90Doses: 0,
  fridges: 0,
  fridgesInAlarm: 0,
  fridgesOffline: 0,
  fridgesSilent: 0,
  facilitiesWithFridgeInAlarm: 0,
  facilitiesWithFridgeOffline: 0,
  facilitiesWithFridgeSilent: 0,
  facilitiesAtRisk: 0,
  alarms: { under_1_day: 0, "1_to_7_days": 0, over_7_days: 0 },
  dosesAtRisk: 0,
});

function addCounts(into: Counts, from: Counts): Counts {
  for (const key of Object.keys(from) as (keyof Counts)[]) {
    if (key === "alarms") continue;
    into[key] += from[key];
  }
  for (const { bucket } of alarmAgeBuckets) into.alarms[bucket] += from.alarms[bucket];
  return into;
}

/** The figures of one unit as clients show them, each with the link to the list behind it. */
function presentFigures(orgUnitId: number, counts: Counts) {
  const facilities = (count: number, status: FacilityFilter): FacilityCount => ({
    facilities: count,
    link: { list: "facilities", orgUnitId, status },
  });
  const expiring = { 30: counts.expiring30, 60: counts.expiring60, 90: counts.expiring90 };
  const expiringDoses = { 30: counts.expiring30Doses, 60: counts.expiring60Doses, 90: counts.expiring90Doses };
  return {
    facilities: counts.facilities,
    stock: {
      stockOut: facilities(counts.stockOut, "stock_out"),
      belowMin: facilities(counts.belowMin, "below_min"),
      aboveMax: facilities(counts.aboveMax, "above_max"),
      expiring: expiryWindowsDays.map((days) => ({
        withinDays: days,
        doses: expiringDoses[days],
        ...facilities(expiring[days], `expiring_${days}_days`),
      })),
    },
    coldchain: {
      fridges: counts.fridges,
      inAlarm: { fridges: counts.fridgesInAlarm, ...facilities(counts.facilitiesWithFridgeInAlarm, "fridge_in_alarm") },
      offline: { fridges: counts.fridgesOffline, ...facilities(counts.facilitiesWithFridgeOffline, "fridge_offline") },
      silent: { fridges: counts.fridgesSilent, ...facilities(counts.facilitiesWithFridgeSilent, "fridge_silent") },
    },
    alarms: {
      live: alarmAgeBuckets.reduce((sum, { bucket }) => sum + counts.alarms[bucket], 0),
      byAge: alarmAgeBuckets.map(({ bucket, fromHours, toHours }) => ({
        bucket,
        fromHours,
        toHours,
        alarms: counts.alarms[bucket],
        link: { list: "alarms", orgUnitId, status: "live", age: bucket } satisfies OverviewLink,
      })),
    },
    dosesAtRisk: { doses: counts.dosesAtRisk, ...facilities(counts.facilitiesAtRisk, "stock_at_risk") },
  };
}
export type OverviewFigures = ReturnType<typeof presentFigures>;

/**
 * The overview of a scope — national, province, district or facility — counted in SQL over every
 * facility under it (never a first page), with the same figures for each unit one level down
 * (the drill-down province → district → facility), in a handful of queries whatever the size of
 * the scope. Every figure carries the link (list and filter) that lists what it counts.
 */
export async function getOverview(db: Executor, scope: OrgUnit, now = new Date()) {
  const childKey = childKeySql(scope);
  const [byKey, alarmsByKey, threats, children] = await Promise.all([
    sumFiguresByKey(db, scope, now),
    countLiveAlarmsByAge(db, scope.path, now, childKey),
    findThreateningAlarms(db, scope.path, childKey),
    // A puskesmas's children are its pustu (facilities too); a facility without any has none.
    db
      .select({ id: orgUnits.id, code: orgUnits.code, name: orgUnits.name, level: orgUnits.level })
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, scope.id), eq(orgUnits.active, true)))
      .orderBy(asc(orgUnits.name), asc(orgUnits.id)),
  ]);
  const dosesByKey = await sumDosesAtRisk(db, threats, now);

  const countsByKey = new Map<number, Counts>();
  const countsOf = (key: number) => {
    const counts = countsByKey.get(key) ?? emptyCounts();
    countsByKey.set(key, counts);
    return counts;
  };
  let ratesComputedAt: Date | null = null;
  for (const { key, ratesComputedAt: computedAt, ...figures } of byKey) {
    Object.assign(countsOf(key), figures);
    if (computedAt && (!ratesComputedAt || computedAt < ratesComputedAt)) ratesComputedAt = new Date(computedAt);
  }
  for (const [key, alarms] of alarmsByKey) countsOf(key).alarms = alarms;
  for (const [key, doses] of dosesByKey) countsOf(key).dosesAtRisk = doses;

  const totals = [...countsByKey.values()].reduce(addCounts, emptyCounts());
  return {
    scope: { id: scope.id, code: scope.code, name: scope.name, level: scope.level },
    generatedAt: now,
    /** The oldest average-monthly-consumption figure the statuses rest on (refreshed daily); null when none. */
    consumptionRatesComputedAt: ratesComputedAt,
    totals: presentFigures(scope.id, totals),
    children: children.map((child) => ({
      ...child,
      figures: presentFigures(child.id, countsByKey.get(child.id) ?? emptyCounts()),
    })),
  };
}
