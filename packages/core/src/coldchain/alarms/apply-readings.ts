import type { Database } from "@rantai/db";
import { type ReadingRow, storeReadings } from "../readings-store";
import { updateRollups } from "../rollups";
import type { SensorStaticsCache } from "./context";
import { evaluateAlarms, type FlushAlarmOutcome, prepareAlarmEvaluation, priorLatestReading } from "./evaluate";

/**
 * Ingest's flush transaction for readings alone, without MQTT: lock and load the sensors, store
 * the readings (and their latest state), add them to the rollups, evaluate the alarms — the same
 * statements in the same order, READ COMMITTED. For the demo seed's replay and for tests.
 */
export async function applyReadings(
  db: Database,
  rows: readonly ReadingRow[],
  now = new Date(),
  statics?: SensorStaticsCache,
): Promise<FlushAlarmOutcome> {
  return db.transaction(
    async (tx) => {
      const prepared = await prepareAlarmEvaluation(tx, {
        readingSensorIds: rows.map((row) => row.sensorId),
        lockSensorIds: [],
        statics,
      });
      await storeReadings(tx, rows);
      await updateRollups(tx, rows, (sensorId) => priorLatestReading(prepared, sensorId));
      return evaluateAlarms(tx, prepared, rows, now);
    },
    { isolationLevel: "read committed" },
  );
}
