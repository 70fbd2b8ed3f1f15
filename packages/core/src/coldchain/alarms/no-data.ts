import {
  alarmRules,
  alarms,
  alarmTrackers,
  type Database,
  type Executor,
  equipment,
  orgUnits,
  sensorStates,
  sensors,
} from "@rantai/db";
import { and, eq, inArray, isNotNull, isNull, lt, ne, notExists, or, type SQL, sql } from "drizzle-orm";
import { type Clock, systemClock } from "../../kernel/clock";
import { lockSensors } from "./context";
import { type AlarmNotice, noticesOf } from "./live";
import { type AlarmEvent, type AlarmValues, writeAlarmEvents } from "./outbox";
import { insertAlarm, updateAlarms, upsertTrackers } from "./store";

/**
 * NO_DATA: a sensor is silent when the device time of its latest reading is more than
 * max(60 min, 2 × its logging interval) before the server's now (strictly more; an
 * `alarm_rules` row for no_data may set another duration or switch it off). Ingest runs this
 * every INGEST_NO_DATA_CHECK_SECONDS on every replica: candidates are found without locks, then each is re-checked
 * under the sensor lock (the one flushes take), so two replicas never open two alarms and a
 * flush storing a fresh reading at the same moment either wins or is seen. The alarm starts at
 * the latest reading (when the silence began); a flush ends it when data is current again.
 * A sensor that never sent a reading has no state and is not checked.
 *
 * The alarm's `openedAt` is when the silence passed its limit (the latest reading's device time
 * plus the silence) and `detectedAt` the server time of the check that saw it; the gap between
 * them is at most the check period while ingest runs.
 */

const silenceSeconds = sql`COALESCE(${alarmRules.durationSeconds}, GREATEST(3600, 2 * ${sensors.expectedIntervalSeconds}))`;

function silentSensors(db: Executor, now: Date, only?: readonly number[]) {
  const conditions: (SQL | undefined)[] = [
    eq(sensors.active, true),
    ne(equipment.status, "decommissioned"),
    or(isNull(alarmRules.id), eq(alarmRules.enabled, true)),
    lt(sensorStates.lastReadingAt, sql`CAST(${now} AS DATETIME(3)) - INTERVAL ${silenceSeconds} SECOND`),
    notExists(
      db
        .select({ one: sql`1` })
        .from(alarms)
        .where(eq(alarms.liveKey, sql`CONCAT(${sensors.id}, ':no_data')`)),
    ),
  ];
  if (only) conditions.push(inArray(sensors.id, [...only]));
  return db
    .select({
      sensorId: sensors.id,
      deviceId: sensors.deviceId,
      equipmentId: equipment.id,
      equipmentName: equipment.name,
      facilityId: orgUnits.id,
      facilityName: orgUnits.name,
      lastReadingAt: sensorStates.lastReadingAt,
      lastTempCentiC: sensorStates.lastTempCentiC,
      silenceSeconds: sql<number>`${silenceSeconds}`.mapWith(Number),
    })
    .from(sensors)
    .innerJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
    .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .leftJoin(alarmRules, and(eq(alarmRules.equipmentId, equipment.id), eq(alarmRules.type, "no_data")))
    .where(and(...conditions))
    .orderBy(sensors.id);
}

/** Live NO_DATA alarms of sensors no longer watched (deactivated, decommissioned, rule off). */
function unwatchedNoDataAlarms(db: Executor) {
  return db
    .select({
      alarmId: alarms.id,
      sensorId: sensors.id,
      deviceId: sensors.deviceId,
      equipmentId: equipment.id,
      equipmentName: equipment.name,
      facilityId: orgUnits.id,
      facilityName: orgUnits.name,
      startedAt: alarms.startedAt,
      detectedAt: alarms.detectedAt,
    })
    .from(alarms)
    .innerJoin(sensors, eq(sensors.id, alarms.sensorId))
    .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .leftJoin(alarmRules, and(eq(alarmRules.equipmentId, equipment.id), eq(alarmRules.type, "no_data")))
    .where(
      and(
        eq(alarms.type, "no_data"),
        isNotNull(alarms.liveKey),
        or(eq(sensors.active, false), eq(equipment.status, "decommissioned"), eq(alarmRules.enabled, false)),
      ),
    );
}

/** One round of the check at the clock's now (read once, so every decision of the round agrees). */
export async function checkSilentSensors(
  db: Database,
  clock: Clock = systemClock,
): Promise<{ opened: number; closed: number; notices: AlarmNotice[] }> {
  const now = clock.now();
  const candidates = await silentSensors(db, now);
  const unwatched = await unwatchedNoDataAlarms(db);
  if (candidates.length === 0 && unwatched.length === 0) return { opened: 0, closed: 0, notices: [] };
  return db.transaction(
    async (tx) => {
      await lockSensors(
        tx,
        [...candidates, ...unwatched].map((row) => row.sensorId),
      );
      const events: AlarmEvent[] = [];
      let opened = 0;
      // Re-checked under the lock: another replica or a flush may have got there first.
      for (const sensor of await silentSensors(
        tx,
        now,
        candidates.map((row) => row.sensorId),
      )) {
        const started = sensor.lastReadingAt.getTime();
        const alarmAt = new Date(started + sensor.silenceSeconds * 1000);
        const values: AlarmValues = {
          startedAt: sensor.lastReadingAt,
          openedAt: alarmAt,
          lastOutOfRangeAt: null,
          endedAt: null,
          durationSeconds: Math.floor((now.getTime() - sensor.lastReadingAt.getTime()) / 1000),
          peakCentiC: null,
          minCentiC: null,
          heatExposureCentiDegreeHours: 0,
        };
        const created = await insertAlarm(tx, { subject: sensor, type: "no_data", values, detectedLate: false }, now);
        await upsertTrackers(
          tx,
          [
            {
              sensorId: sensor.sensorId,
              type: "no_data",
              lastReadingAt: sensor.lastReadingAt,
              lastValue: sensor.lastTempCentiC,
              episode: {
                startedAt: started,
                lastOutOfRangeAt: started,
                peak: sensor.lastTempCentiC,
                min: sensor.lastTempCentiC,
                exposure: 0,
                alarmed: true,
              },
              alarmId: created.id,
            },
          ],
          now,
        );
        events.push({
          alarmId: created.id,
          event: "opened",
          type: "no_data",
          status: created.status,
          subject: sensor,
          values,
          alarmAt,
          detectedLate: false,
          detectedAt: now,
        });
        opened += 1;
      }
      const closing = await unwatchedNoDataAlarms(tx);
      const values = (row: (typeof closing)[number]): AlarmValues => ({
        startedAt: row.startedAt,
        openedAt: null, // unchanged
        lastOutOfRangeAt: null,
        endedAt: now,
        durationSeconds: Math.floor((now.getTime() - row.startedAt.getTime()) / 1000),
        peakCentiC: null,
        minCentiC: null,
        heatExposureCentiDegreeHours: 0,
      });
      await updateAlarms(
        tx,
        closing.map((row) => ({ alarmId: row.alarmId, values: values(row), resolve: true })),
        now,
      );
      if (closing.length > 0) {
        await tx
          .update(alarmTrackers)
          .set({ alarmId: null, episodeStartedAt: null, lastOutOfRangeAt: null, updatedAt: now })
          .where(
            and(
              inArray(
                alarmTrackers.sensorId,
                closing.map((row) => row.sensorId),
              ),
              eq(alarmTrackers.type, "no_data"),
            ),
          );
      }
      for (const row of closing) {
        events.push({
          alarmId: row.alarmId,
          event: "resolved",
          type: "no_data",
          status: "resolved",
          subject: row,
          values: values(row),
          alarmAt: null,
          detectedLate: false,
          detectedAt: row.detectedAt,
        });
      }
      await writeAlarmEvents(tx, events);
      return { opened, closed: closing.length, notices: noticesOf(events) };
    },
    { isolationLevel: "read committed" },
  );
}
