import { findSensorsByDeviceIds, type SensorRef } from "@rantai/core/coldchain/readings-store";
import type { Executor } from "@rantai/db";

/**
 * Registered sensors by device id, kept for `ttlMs` (a deactivation takes effect within it).
 * Unknown device ids are not cached: they are looked up again on every flush, so a sensor
 * registered a moment ago is accepted at once.
 */
export function createSensorCache(ttlMs = 60_000, clock = () => Date.now()) {
  const known = new Map<string, { sensor: SensorRef; expiresAt: number }>();
  return {
    async resolve(db: Executor, deviceIds: Iterable<string>): Promise<Map<string, SensorRef>> {
      const now = clock();
      const resolved = new Map<string, SensorRef>();
      const missing: string[] = [];
      for (const deviceId of new Set(deviceIds)) {
        const entry = known.get(deviceId);
        if (entry && entry.expiresAt > now) resolved.set(deviceId, entry.sensor);
        else missing.push(deviceId);
      }
      if (missing.length === 0) return resolved;
      const found = await findSensorsByDeviceIds(db, missing);
      for (const deviceId of missing) {
        const sensor = found.get(deviceId);
        if (!sensor) {
          known.delete(deviceId);
          continue;
        }
        known.set(deviceId, { sensor, expiresAt: now + ttlMs });
        resolved.set(deviceId, sensor);
      }
      return resolved;
    },
    get size() {
      return known.size;
    },
  };
}
export type SensorCache = ReturnType<typeof createSensorCache>;
