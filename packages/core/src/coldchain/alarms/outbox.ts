import { type AlarmType, type alarmStatuses, type Executor, notificationOutbox } from "@rantai/db";
import { sql } from "drizzle-orm";
import { findUsableStock } from "../../stock/at-risk";
import { centiToCelsius } from "../temperature";
import { type StockAtRisk, selectStockAtRisk } from "./stock-at-risk";

/**
 * Alarm notices go to notification_outbox in the transaction that changes the alarm, with the
 * event key `alarm:{id}:{event}` under a unique index: writing the same event again (a retried
 * flush, a recomputation) is a no-op, so each notice exists once. `updated` (late readings moved
 * the alarm's start or opened time) can happen more than once per alarm, so its key also names
 * the new times: each move is announced once, a replay of it never.
 */
export type AlarmEventName = "opened" | "late" | "updated" | "resolved" | "retracted" | "acknowledged";
export type AlarmStatus = (typeof alarmStatuses)[number];

/** The columns of an alarm that describe its run. */
export interface AlarmValues {
  startedAt: Date;
  /**
   * Device time the run reached the rule's duration (the reading that did). Null in an update
   * means "unchanged": a live alarm growing on the fast path keeps the time it opened at.
   */
  openedAt: Date | null;
  lastOutOfRangeAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number;
  peakCentiC: number | null;
  minCentiC: number | null;
  heatExposureCentiDegreeHours: number;
}

/** Where an alarm is: names for the notice. */
export interface AlarmSubject {
  sensorId: number;
  deviceId: string;
  equipmentId: number;
  equipmentName: string;
  facilityId: number;
  facilityName: string;
}

export interface AlarmEvent {
  alarmId: number;
  event: AlarmEventName;
  type: AlarmType;
  status: AlarmStatus;
  subject: AlarmSubject;
  values: AlarmValues;
  /** Device time the alarm fired, when known (the reading that reached the rule's duration). */
  alarmAt: Date | null;
  detectedLate: boolean;
  /** Server time the alarm was raised, when the writer knows it. */
  detectedAt?: Date | null;
  /** `updated`: the times the alarm had before late readings moved them. */
  previous?: { startedAt: Date; openedAt: Date | null };
  acknowledgement?: { by: number; at: Date; comment: string };
}

export const alarmEventKey = (alarmId: number, event: AlarmEventName) => `alarm:${alarmId}:${event}`;

/** The outbox key of an event (see above); at most 6 + 20 + 8 + 2 × 14 characters. */
export function alarmEventKeyOf(event: Pick<AlarmEvent, "alarmId" | "event" | "values">): string {
  const key = alarmEventKey(event.alarmId, event.event);
  if (event.event !== "updated") return key;
  return `${key}:${event.values.startedAt.getTime()}:${event.values.openedAt?.getTime() ?? "none"}`;
}

/** Percent for LOW_BATTERY, °C for the temperature alarms, nothing for NO_DATA. */
function reading(type: AlarmType, value: number | null): number | null {
  if (value === null || type === "no_data") return null;
  return type === "low_battery" ? value : centiToCelsius(value);
}

export function alarmEventPayload(event: AlarmEvent, stockAtRisk: StockAtRisk) {
  const { values, subject } = event;
  const unit = event.type === "low_battery" ? "batteryPct" : "tempC";
  return {
    event: event.event,
    alarmId: event.alarmId,
    type: event.type,
    status: event.status,
    facility: { id: subject.facilityId, name: subject.facilityName },
    equipment: { id: subject.equipmentId, name: subject.equipmentName },
    sensor: { id: subject.sensorId, deviceId: subject.deviceId },
    startedAt: values.startedAt.toISOString(),
    alarmAt: event.alarmAt?.toISOString() ?? null,
    openedAt: (values.openedAt ?? event.alarmAt)?.toISOString() ?? null,
    detectedAt: event.detectedAt?.toISOString() ?? null,
    previous: event.previous
      ? {
          startedAt: event.previous.startedAt.toISOString(),
          openedAt: event.previous.openedAt?.toISOString() ?? null,
        }
      : null,
    lastOutOfRangeAt: values.lastOutOfRangeAt?.toISOString() ?? null,
    endedAt: values.endedAt?.toISOString() ?? null,
    durationSeconds: values.durationSeconds,
    unit,
    peak: reading(event.type, values.peakCentiC),
    min: reading(event.type, values.minCentiC),
    heatExposureDegreeHours: values.heatExposureCentiDegreeHours / 100,
    detectedLate: event.detectedLate,
    acknowledgement: event.acknowledgement
      ? {
          by: event.acknowledgement.by,
          at: event.acknowledgement.at.toISOString(),
          comment: event.acknowledgement.comment,
        }
      : null,
    stockAtRisk: {
      totalDoses: stockAtRisk.totalDoses,
      items: stockAtRisk.items.map((item) => ({
        itemId: item.itemId,
        code: item.code,
        name: item.name,
        doses: item.doses,
        freezeSensitive: item.freezeSensitive,
        heatSensitive: item.heatSensitive,
        vvmType: item.vvmType,
        batches: item.batches.map((batch) => ({
          lotNumber: batch.lotNumber,
          expiryDate: batch.expiryDate,
          doses: batch.doses,
        })),
      })),
    },
  };
}
export type AlarmEventPayload = ReturnType<typeof alarmEventPayload>;

/** Writes the notices (one statement, plus one stock query for all facilities concerned). */
export async function writeAlarmEvents(db: Executor, events: readonly AlarmEvent[]): Promise<void> {
  if (events.length === 0) return;
  const stock = await findUsableStock(
    db,
    events.map((event) => event.subject.facilityId),
  );
  await db
    .insert(notificationOutbox)
    .values(
      events.map((event) => ({
        kind: `alarm.${event.event}`,
        orgUnitId: event.subject.facilityId,
        aggregateType: "alarm",
        aggregateId: String(event.alarmId),
        eventKey: alarmEventKeyOf(event),
        payload: alarmEventPayload(
          event,
          selectStockAtRisk(event.subject.facilityId, event.type, stock.get(event.subject.facilityId) ?? []),
        ),
      })),
    )
    .onDuplicateKeyUpdate({ set: { eventKey: sql`${notificationOutbox.eventKey}` } });
}
