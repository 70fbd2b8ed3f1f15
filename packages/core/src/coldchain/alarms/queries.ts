import { alarms, alarmTypes, type Executor, equipment, orgUnits, sensors, users } from "@rantai/db";
import { and, desc, eq, gt, inArray, isNull, like, lt, lte, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { z } from "zod";
import { authorize, isAllowed, type Right, subtreePattern } from "../../kernel/authorization";
import type { DomainContext } from "../../kernel/context";
import { keysetPage } from "../../kernel/pagination";
import { provinceOfPath, provinceUnits, timeZoneOfProvince } from "../../orgs/province";
import { type AlarmAgeBucket, alarmAgeBuckets } from "../scope-figures";
import { centiToCelsius } from "../temperature";
import { findAlarmStockAtRisk } from "./stock-at-risk";

export const ZListAlarmsSchema = z.strictObject({
  /** A facility, district or province in the caller's scope; defaults to the caller's own unit. */
  orgUnitId: z.number().int().positive().optional(),
  /**
   * live: open or acknowledged (the default); unacknowledged: waiting for someone to acknowledge
   * them, live or already resolved; all: also acknowledged-and-resolved and retracted ones.
   */
  status: z.enum(["live", "unacknowledged", "all"]).default("live"),
  type: z.enum(alarmTypes).optional(),
  /** How long ago the alarm's run started, in the overview's buckets (its "open alarms by age" link here). */
  age: z.enum(alarmAgeBuckets.map((bucket) => bucket.bucket) as [AlarmAgeBucket, ...AlarmAgeBucket[]]).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** The last alarm id of the previous page (newest first). */
  cursor: z.number().int().positive().optional(),
});
export type TListAlarms = z.infer<typeof ZListAlarmsSchema>;

export const ZWatchAlarmsSchema = z.strictObject({
  /** A facility, district or province in the caller's scope; defaults to the caller's own unit. */
  orgUnitId: z.number().int().positive().optional(),
});

export const ZGetAlarmSchema = z.strictObject({ alarmId: z.number().int().positive() });

const assignees = alias(users, "assignees");

const alarmColumns = {
  alarm: alarms,
  facilityName: orgUnits.name,
  facilityPath: orgUnits.path,
  provinceCode: provinceUnits.code,
  equipmentName: equipment.name,
  deviceId: sensors.deviceId,
  acknowledgedByName: users.name,
  assigneeName: assignees.name,
};

function selectAlarms(db: Executor, where: SQL | undefined) {
  return db
    .select(alarmColumns)
    .from(alarms)
    .innerJoin(orgUnits, eq(orgUnits.id, alarms.facilityId))
    .innerJoin(equipment, eq(equipment.id, alarms.equipmentId))
    .innerJoin(sensors, eq(sensors.id, alarms.sensorId))
    .leftJoin(users, eq(users.id, alarms.acknowledgedBy))
    .leftJoin(assignees, eq(assignees.id, alarms.assignedTo))
    .leftJoin(provinceUnits, provinceOfPath(orgUnits.path))
    .where(where);
}
export type AlarmRow = Awaited<ReturnType<typeof selectAlarms>>[number];

/** What clients see of an alarm. Temperatures in °C; LOW_BATTERY's peak/min are percent. */
export function toAlarmView(row: AlarmRow) {
  const { alarm } = row;
  const zone = timeZoneOfProvince(row.provinceCode);
  const value = (centi: number | null) =>
    centi === null || alarm.type === "no_data" ? null : alarm.type === "low_battery" ? centi : centiToCelsius(centi);
  return {
    id: alarm.id,
    type: alarm.type,
    /** EXCURSION is a warning; the others are alarms. */
    severity: alarm.type === "excursion" ? ("warning" as const) : ("alarm" as const),
    status: alarm.status,
    /** Times at this facility are shown on its province's clock, the zone named (WIB, WITA or WIT). */
    facility: {
      id: alarm.facilityId,
      name: row.facilityName,
      timeZone: zone.timeZone,
      timeZoneAbbreviation: zone.abbreviation,
    },
    equipment: { id: alarm.equipmentId, name: row.equipmentName },
    sensor: { id: alarm.sensorId, deviceId: row.deviceId },
    startedAt: alarm.startedAt,
    /** Device time the rule was met (start + the rule's duration, as the readings showed it). */
    openedAt: alarm.openedAt,
    /** Server time the alarm was raised: later than `openedAt` when readings arrived late. */
    detectedAt: alarm.detectedAt,
    lastOutOfRangeAt: alarm.lastOutOfRangeAt,
    endedAt: alarm.endedAt,
    durationSeconds: alarm.durationSeconds,
    unit: alarm.type === "low_battery" ? ("batteryPct" as const) : ("tempC" as const),
    peak: value(alarm.peakCentiC),
    min: value(alarm.minCentiC),
    heatExposureDegreeHours: alarm.heatExposureCentiDegreeHours / 100,
    detectedLate: alarm.detectedLate,
    resolvedAt: alarm.resolvedAt,
    retractedAt: alarm.retractedAt,
    acknowledgement:
      alarm.acknowledgedAt === null
        ? null
        : {
            at: alarm.acknowledgedAt,
            by: { id: alarm.acknowledgedBy, name: row.acknowledgedByName },
            comment: alarm.acknowledgementComment,
          },
    assignee: alarm.assignedTo === null ? null : { id: alarm.assignedTo, name: row.assigneeName, at: alarm.assignedAt },
    /** Someone still has to acknowledge it (live or already resolved; not retracted ones). */
    needsAcknowledgement: alarm.acknowledgedAt === null && alarm.status !== "retracted",
    createdAt: alarm.createdAt,
  };
}
export type AlarmView = ReturnType<typeof toAlarmView>;

const HOUR_MS = 3_600_000;

/** Alarms whose run started within an age bucket at `now` (the overview's TIMESTAMPDIFF buckets). */
function startedInAgeBucket(bucket: AlarmAgeBucket, now: Date): SQL | undefined {
  const { fromHours, toHours } = alarmAgeBuckets.find((entry) => entry.bucket === bucket) ?? alarmAgeBuckets[0];
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR_MS);
  return and(
    fromHours > 0 ? lte(alarms.startedAt, hoursAgo(fromHours)) : undefined,
    toHours === null ? undefined : gt(alarms.startedAt, hoursAgo(toHours)),
  );
}

/** Alarms at facilities under a scope path, newest first, filtered by status, type and age. */
export async function findAlarms(
  db: Executor,
  scopePath: string,
  page: Pick<TListAlarms, "status" | "limit" | "cursor" | "type" | "age">,
  now = new Date(),
) {
  const rows = await selectAlarms(
    db,
    and(
      like(orgUnits.path, subtreePattern(scopePath)),
      page.status === "live" ? inArray(alarms.status, ["open", "acknowledged"]) : undefined,
      page.status === "unacknowledged" ? and(isNull(alarms.acknowledgedAt), ne(alarms.status, "retracted")) : undefined,
      page.cursor === undefined ? undefined : lt(alarms.id, page.cursor),
      page.type === undefined ? undefined : eq(alarms.type, page.type),
      page.age === undefined ? undefined : startedInAgeBucket(page.age, now),
    ),
  )
    .orderBy(desc(alarms.id))
    .limit(page.limit + 1);
  const { items, nextCursor } = keysetPage(rows, page.limit, (row) => row.alarm.id);
  return { items: items.map(toAlarmView), nextCursor };
}

export async function findAlarmRow(db: Executor, alarmId: number): Promise<AlarmRow | null> {
  const [row] = await selectAlarms(db, eq(alarms.id, alarmId)).limit(1);
  return row ?? null;
}

/**
 * An alarm the actor may see (`coldchain.read`) or act on (e.g. `coldchain.alarms.acknowledge`),
 * or FORBIDDEN (audited) — the same for an alarm of another facility and for one that does not exist.
 */
export async function requireAlarmInScope(
  request: DomainContext<Executor>,
  alarmId: number,
  action: string,
  right: Right = "coldchain.read",
): Promise<AlarmRow> {
  const row = (await findAlarmRow(request.db, alarmId)) ?? undefined;
  const entity = { entityType: "alarm", entityId: alarmId };
  return authorize(request, right, action, entity, row, (found) => [found.facilityPath]);
}

/**
 * One alarm with the stock its type threatens at the facility, and whether the reader may act on
 * it (acknowledge, assign): clients offer those actions only then, and the API refuses them otherwise.
 */
export async function getAlarm(request: DomainContext<Executor>, row: AlarmRow) {
  const stockAtRisk = await findAlarmStockAtRisk(request.db, row.alarm.facilityId, row.alarm.type);
  const mayAct = isAllowed(request.actor, "coldchain.alarms.acknowledge", { orgUnitPaths: [row.facilityPath] });
  return { ...toAlarmView(row), stockAtRisk, mayAct };
}
