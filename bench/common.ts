import { readFileSync } from "node:fs";
import { hashBrokerPassword } from "@rantai/core/coldchain/sensors";
import { createDatabase, equipment, orgUnits, sensors } from "@rantai/db";
import { migrateDatabase } from "@rantai/db/migrate";
import { inArray, sql } from "drizzle-orm";

/** Shared by the benchmark's processes: sensor set-up, payloads, process statistics. */

export const READINGS_PER_SENSOR = 288;
export const INTERVAL_MS = 5 * 60_000;
const FRIDGES_PER_FACILITY = 2;

export function benchDeviceId(index: number): string {
  return `BENCH-${String(index).padStart(6, "0")}`;
}

/**
 * A day of 5-minute readings for one sensor, oldest first, as one `{"readings": […]}` message.
 * `dayStart` is shared by all sensors, so the published set is {every sensor} × {288 slots}.
 */
export function dayPayload(index: number, dayStart: number): Buffer {
  const readings = new Array<string>(READINGS_PER_SENSOR);
  for (let i = 0; i < READINGS_PER_SENSOR; i += 1) {
    const tempC = Math.round((4.5 + Math.sin((index + i) / 17) * 1.5) * 100) / 100;
    readings[i] = `{"ts":${dayStart + i * INTERVAL_MS},"tempC":${tempC},"batteryPct":${80 + (index % 20)},"seq":${i}}`;
  }
  return Buffer.from(`{"readings":[${readings.join(",")}]}`);
}

/**
 * A fresh, migrated database with `count` sensors, two per facility, (BENCH-000000 …), each with a
 * broker hash (the password file has every device, as in production). Returns the device → id map.
 */
export async function createBenchDatabase(url: string, count: number, log: (line: string) => void) {
  await migrateDatabase(url);
  const handle = createDatabase({ url, poolSize: 4 });
  try {
    const { db } = handle;
    // Two fridges per puskesmas, as in the field (~20,000 fridges in ~10,000 puskesmas).
    const facilityCount = Math.ceil(count / FRIDGES_PER_FACILITY);
    for (let start = 0; start < facilityCount; start += 2000) {
      const codes = Array.from({ length: Math.min(2000, facilityCount - start) }, (_, i) => start + i);
      await db.insert(orgUnits).values(
        codes.map((f) => ({
          level: "facility" as const,
          code: `BENCH-${f}`,
          name: `Puskesmas Bench ${f}`,
          path: "",
          depth: 0,
        })),
      );
    }
    await db.execute(sql`UPDATE org_units SET path = CONCAT('/', id, '/') WHERE code LIKE 'BENCH-%'`);
    const facilities = await db.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits);
    const facilityByCode = new Map(facilities.map((row) => [row.code, row.id]));
    // One broker hash reused for all: hashing 20,000 distinct ones would only slow the set-up.
    const brokerPasswordHash = await hashBrokerPassword("bench-device-secret-not-used-0001");
    const started = performance.now();
    for (let start = 0; start < count; start += 2000) {
      const indexes = Array.from({ length: Math.min(2000, count - start) }, (_, i) => start + i);
      await db.insert(equipment).values(
        indexes.map((i) => ({
          facilityId: facilityByCode.get(`BENCH-${Math.floor(i / FRIDGES_PER_FACILITY)}`) ?? 0,
          kind: "refrigerator" as const,
          name: `Fridge ${i}`,
          serialNumber: `B-${i}`,
        })),
      );
      const stored = await db
        .select({ id: equipment.id, serialNumber: equipment.serialNumber })
        .from(equipment)
        .where(
          inArray(
            equipment.serialNumber,
            indexes.map((i) => `B-${i}`),
          ),
        );
      const bySerial = new Map(stored.map((row) => [row.serialNumber, row.id]));
      await db.insert(sensors).values(
        indexes.map((i) => ({
          deviceId: benchDeviceId(i),
          equipmentId: bySerial.get(`B-${i}`) ?? 0,
          credentialHash: "bench-not-a-usable-argon2-hash",
          brokerPasswordHash,
          credentialIssuedAt: new Date(),
          expectedIntervalSeconds: 300,
        })),
      );
    }
    const rows = await db.select({ id: sensors.id, deviceId: sensors.deviceId }).from(sensors);
    log(`created ${rows.length} sensors in ${Math.round(performance.now() - started)} ms`);
    return new Map(rows.map((row) => [row.deviceId, row.id]));
  } finally {
    await handle.close();
  }
}

/** VmHWM (peak resident set) and VmRSS of a process, in MiB; null once it has exited. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Messages between the benchmark and its child processes (over the IPC channel). */
export type PublisherCommand =
  | {
      kind: "storm";
      url: string;
      username: string;
      password: string;
      connections: number;
      window: number;
      indexes: number[];
      dayStart: number;
    }
  | {
      kind: "steady";
      url: string;
      username: string;
      password: string;
      connections: number;
      indexes: number[];
      durationMs: number;
      periodMs: number;
      /** Report every publish as (sensor index, ts) in "done": the outage soak compares sets. */
      record?: boolean;
    }
  | { kind: "go" }
  /** Ends a steady run early (the outage soak publishes until ingest has caught up). */
  | { kind: "stop" };

export type PublisherReport =
  | { kind: "ready"; messages: number; bytes: number }
  | {
      kind: "done";
      published: number;
      failed: number;
      firstAt: number;
      lastAckAt: number;
      /** Payload bytes of the acknowledged publishes (steady mode). */
      bytes?: number;
      /** With `record`: index, ts pairs, flattened, of acknowledged and of failed publishes. */
      acked?: number[];
      unacked?: number[];
    }
  | { kind: "progress"; published: number };
