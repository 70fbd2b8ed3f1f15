import {
  type AlarmType,
  alarms,
  alarmTypes,
  type Executor,
  equipment,
  facilityColdChainSummaries,
  orgUnits,
  sensorStates,
  sensors,
} from "@rantai/db";
import { and, eq, inArray, isNotNull, like, ne, type SQL, sql } from "drizzle-orm";
import { subtreePattern } from "../kernel/authorization/scope";
import { findUsableStock, selectExposedStock, type TemperatureExposure } from "../stock/at-risk";
import { exposureOfAlarm } from "./alarms/stock-at-risk";
import { silenceThresholdMs } from "./temperature";

/**
 * Cold-chain figures of every facility under a scope, computed in SQL over the whole scope. The
 * definitions are the fridge list's (fridges.ts): a fridge is equipment not decommissioned; its
 * state comes from its active sensors' `sensor_states`, never from the readings table.
 * - in alarm: a live (open or acknowledged) temperature alarm — heat, freeze or excursion;
 * - offline: every active sensor that reported a status says the broker lost it (`online` false);
 * - silent: no active sensor has a reading within its silence threshold (`isStale`): max(60 min,
 *   2 × its logging interval); a fridge without an active sensor is silent too, as in the list.
 */

/** Alarm statuses that still need someone: the alarm list's "live". */
export const liveAlarmStatuses = ["open", "acknowledged"] as const;

/** Alarm types that put a fridge "in alarm" (NO_DATA is silence, LOW_BATTERY a warning about the logger). */
export const temperatureAlarmTypes = ["heat", "freeze", "excursion"] as const satisfies readonly AlarmType[];

/** Alarm types that threaten stock (the stock-at-risk rule's exposures): heat, freeze, excursion, no data. */
export const stockThreateningAlarmTypes: readonly AlarmType[] = alarmTypes.filter(
  (type) => exposureOfAlarm(type) !== null,
);

/** The floor of the silence threshold in seconds (`silenceThresholdMs` of an interval of zero). */
const SILENCE_FLOOR_SECONDS = silenceThresholdMs(0) / 1000;

/** Worst first: the rank a facility's cold-chain status sorts by. */
export const coldChainStatusRank = { alarm: 0, offline: 1, silent: 2, ok: 3, none: 4 } as const;
export type ColdChainStatus = keyof typeof coldChainStatusRank;

/**
 * Live alarms: the status says it, and so does `live_key`, set exactly while an alarm is live;
 * saying both lets the database read only the live rows through the key's unique index instead
 * of every alarm ever raised in the scope.
 */
function isLive(): SQL | undefined {
  return and(inArray(alarms.status, [...liveAlarmStatuses]), isNotNull(alarms.liveKey));
}

function inScope(scopePath: string): SQL | undefined {
  return and(like(orgUnits.path, subtreePattern(scopePath)), eq(orgUnits.level, "facility"), eq(orgUnits.active, true));
}

/** How long a facility's cold-chain summary row may stand in for its live count at most (refreshed every minute). */
export const COLD_CHAIN_SUMMARY_MAX_AGE_MS = 3 * 60_000;

/** A summary row that holds at `now`: computed by then, and neither too old nor past its first silence. */
export function coldChainSummaryValidAt(now: Date): SQL {
  return sql`${facilityColdChainSummaries.computedAt} <= ${now} AND ${facilityColdChainSummaries.validUntil} > ${now}`;
}

export interface FridgeStateOptions {
  /** Only these facilities (a page of the facility table). */
  facilityIds?: readonly number[];
  /** Only facilities without a summary row valid at `now`: what a reader of the summaries still counts live. */
  withoutValidSummary?: boolean;
}

/**
 * One row per facility with fridges: how many, how many offline and silent at `now`, the latest
 * reading, and `nextSilenceAt`: when the first of its fresh fridges falls silent unless it reports
 * (null when none is fresh), the moment a summary of these figures stops holding.
 */
export function facilityFridgeStates(db: Executor, scopePath: string, now: Date, options: FridgeStateOptions = {}) {
  // `isStale` in SQL: a sensor is fresh until its last reading plus its silence threshold,
  // max(60 min, 2 × its logging interval); a fridge until the latest of its active sensors'.
  const freshUntil = sql`${sensorStates.lastReadingAt} + INTERVAL GREATEST(${SILENCE_FLOOR_SECONDS},
    2 * ${sensors.expectedIntervalSeconds}) SECOND`;
  const perFridge = db
    .select({
      equipmentId: sql<number>`${equipment.id}`.as("equipment_id"),
      facilityId: sql<number>`${equipment.facilityId}`.as("facility_id"),
      lastReadingAt: sql<Date | null>`MAX(${sensorStates.lastReadingAt})`.as("last_reading_at"),
      freshUntil: sql<Date | null>`MAX(${freshUntil})`.as("fresh_until"),
      anyOnline: sql<number | null>`MAX(${sensorStates.online})`.as("any_online"),
    })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .leftJoin(sensors, and(eq(sensors.equipmentId, equipment.id), eq(sensors.active, true)))
    .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
    .where(
      and(
        inScope(scopePath),
        ne(equipment.status, "decommissioned"),
        options.facilityIds ? inArray(equipment.facilityId, [...options.facilityIds]) : undefined,
        // Evaluated per facility (it names only org_units), before any of its fridges is read.
        options.withoutValidSummary
          ? sql`NOT EXISTS (SELECT 1 FROM ${facilityColdChainSummaries}
              WHERE ${facilityColdChainSummaries.orgUnitId} = ${orgUnits.id} AND ${coldChainSummaryValidAt(now)})`
          : undefined,
      ),
    )
    .groupBy(equipment.id, equipment.facilityId)
    .as("fridge_states");
  const fresh = sql`COALESCE(${perFridge.freshUntil} >= ${now}, 0)`;
  return db
    .select({
      facilityId: sql<number>`${perFridge.facilityId}`.as("fridge_facility_id"),
      fridges: sql<number>`COUNT(*)`.as("fridges"),
      fridgesOffline: sql<number>`SUM(COALESCE(${perFridge.anyOnline} = 0, 0))`.as("fridges_offline"),
      fridgesSilent: sql<number>`SUM(${fresh} = 0)`.as("fridges_silent"),
      lastReadingAt: sql<Date | null>`MAX(${perFridge.lastReadingAt})`.as("last_reading_at"),
      nextSilenceAt: sql<Date | null>`MIN(CASE WHEN ${fresh} = 1 THEN ${perFridge.freshUntil} END)`.as(
        "next_silence_at",
      ),
    })
    .from(perFridge)
    .groupBy(perFridge.facilityId)
    .as("facility_fridges");
}

/**
 * One row per facility with a fridge in alarm: how many of its fridges (not decommissioned) have a
 * live temperature alarm. Read from the live alarms alone, through their unique key, so it is
 * always counted live: a new alarm shows on the next request.
 */
export function facilityFridgeAlarms(db: Executor, scopePath: string) {
  return db
    .select({
      facilityId: sql<number>`${equipment.facilityId}`.as("alarm_facility_id"),
      fridgesInAlarm: sql<number>`COUNT(DISTINCT ${alarms.equipmentId})`.as("fridges_in_alarm"),
    })
    .from(alarms)
    .innerJoin(equipment, eq(equipment.id, alarms.equipmentId))
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(
      and(
        inScope(scopePath),
        isLive(),
        inArray(alarms.type, [...temperatureAlarmTypes]),
        ne(equipment.status, "decommissioned"),
      ),
    )
    .groupBy(equipment.facilityId)
    .as("facility_fridge_alarms");
}

/** One row per facility with a live alarm that threatens stock, with how many. */
export function facilityAlarmThreats(db: Executor, scopePath: string) {
  return db
    .select({
      facilityId: sql<number>`${alarms.facilityId}`.as("threat_facility_id"),
      threateningAlarms: sql<number>`COUNT(*)`.as("threatening_alarms"),
    })
    .from(alarms)
    .innerJoin(orgUnits, eq(orgUnits.id, alarms.facilityId))
    .where(and(inScope(scopePath), isLive(), inArray(alarms.type, [...stockThreateningAlarmTypes])))
    .groupBy(alarms.facilityId)
    .as("facility_alarm_threats");
}

/** Live alarms by how long ago they started: the overview's buckets, youngest first. */
export const alarmAgeBuckets = [
  { bucket: "under_1_day", fromHours: 0, toHours: 24 },
  { bucket: "1_to_7_days", fromHours: 24, toHours: 168 },
  { bucket: "over_7_days", fromHours: 168, toHours: null },
] as const;
export type AlarmAgeBucket = (typeof alarmAgeBuckets)[number]["bucket"];

/**
 * Live alarms under a scope by age bucket, grouped by `groupKey` (an expression over the
 * facility's `org_units` row, e.g. the child unit of the scope it lies under): one query.
 */
export async function countLiveAlarmsByAge(db: Executor, scopePath: string, now: Date, groupKey: SQL<number>) {
  const ageHours = sql`TIMESTAMPDIFF(SECOND, ${alarms.startedAt}, ${now}) / 3600`;
  const rows = await db
    .select({
      key: groupKey.mapWith(Number),
      under1Day: sql<number>`SUM(${ageHours} < 24)`.mapWith(Number),
      from1To7Days: sql<number>`SUM(${ageHours} >= 24 AND ${ageHours} < 168)`.mapWith(Number),
      over7Days: sql<number>`SUM(${ageHours} >= 168)`.mapWith(Number),
    })
    .from(alarms)
    .innerJoin(orgUnits, eq(orgUnits.id, alarms.facilityId))
    .where(and(inScope(scopePath), isLive()))
    .groupBy(groupKey);
  return new Map(
    rows.map((row) => [
      row.key,
      { under_1_day: row.under1Day, "1_to_7_days": row.from1To7Days, over_7_days: row.over7Days } satisfies Record<
        AlarmAgeBucket,
        number
      >,
    ]),
  );
}

/** The live stock-threatening alarms under a scope: facility, type, and the group key of its unit. */
export async function findThreateningAlarms(db: Executor, scopePath: string, groupKey: SQL<number>) {
  return db
    .selectDistinct({ facilityId: alarms.facilityId, type: alarms.type, key: groupKey.mapWith(Number) })
    .from(alarms)
    .innerJoin(orgUnits, eq(orgUnits.id, alarms.facilityId))
    .where(and(inScope(scopePath), isLive(), inArray(alarms.type, [...stockThreateningAlarmTypes])));
}

/**
 * Doses at risk per group key: for each facility with a live threatening alarm, the usable stock its
 * alarms' exposures threaten — the one stock-at-risk rule (stock/at-risk.ts), applied to the
 * union of its alarms' exposures so a dose threatened by two alarms counts once.
 */
export async function sumDosesAtRisk(
  db: Executor,
  threats: readonly { facilityId: number; type: AlarmType; key: number }[],
  now: Date,
): Promise<Map<number, number>> {
  const exposuresOf = new Map<number, { key: number; exposures: Set<TemperatureExposure> }>();
  for (const threat of threats) {
    const exposure = exposureOfAlarm(threat.type);
    if (exposure === null) continue;
    const entry = exposuresOf.get(threat.facilityId) ?? { key: threat.key, exposures: new Set() };
    entry.exposures.add(exposure);
    exposuresOf.set(threat.facilityId, entry);
  }
  const stock = await findUsableStock(db, [...exposuresOf.keys()], now);
  const byKey = new Map<number, number>();
  for (const [facilityId, { key, exposures }] of exposuresOf) {
    const threatened = new Map<number, number>();
    for (const exposure of exposures) {
      for (const item of selectExposedStock(exposure, stock.get(facilityId) ?? []).items) {
        threatened.set(item.itemId, item.doses);
      }
    }
    const doses = [...threatened.values()].reduce((sum, value) => sum + value, 0);
    byKey.set(key, (byKey.get(key) ?? 0) + doses);
  }
  return byKey;
}
