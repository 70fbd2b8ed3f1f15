import { createHmac, pbkdf2, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import { hashSecret } from "../passwords";
import { equipment, type equipmentKinds, orgUnits, sensors } from "../schema";
import { chunk, mapWithConcurrency } from "./concurrency";
import type { SeededOrgUnit } from "./org-units";

/** How often seeded sensors say they log (the history itself is every 10 min, like a 30-DTR). */
export const DEMO_SENSOR_INTERVAL_SECONDS = 300;

/**
 * The demo credential of a seeded sensor, derived from its device id so that the simulator can
 * connect without a secrets file. Demo data only: a real device gets a random secret.
 */
export function demoDeviceSecret(deviceId: string): string {
  return createHmac("sha256", "rantai-demo-device").update(deviceId).digest("hex").slice(0, 32);
}

const pbkdf2Async = promisify(pbkdf2);

/**
 * The demo secret hashed for the broker's password file, in Mosquitto's `$7$` format
 * (PBKDF2-SHA512, 101 iterations, 12-byte salt), as `mosquitto_passwd` writes it. The same
 * format as `hashBrokerPassword` in @rantai/core/coldchain/sensors, which the seed cannot import
 * (packages/db imports nothing of ours). The browser test logs in to the broker as a seeded
 * device with its demo secret, which checks that the two agree.
 */
export async function demoBrokerPasswordHash(deviceId: string): Promise<string> {
  const salt = randomBytes(12);
  const key = await pbkdf2Async(demoDeviceSecret(deviceId), salt, 101, 64, "sha512");
  return `$7$101$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** "RTS-P340401-1" for a puskesmas, "RTS-3404-1" for a district store: stable across runs. */
export function demoDeviceId(orgCode: string, index: number): string {
  return `RTS-${orgCode.replaceAll(".", "")}-${index}`;
}

export type EquipmentModel = "vestfrost" | "sdd" | "ilr";

export interface EquipmentSpec {
  orgCode: string;
  kind: (typeof equipmentKinds)[number];
  name: string;
  manufacturer: string;
  model: string;
  pqsCode: string | null;
  serialNumber: string;
  deviceId: string;
  modelKey: EquipmentModel;
}

/*
 * Makes, models and PQS codes are illustrative demo values (as the product brief gave them);
 * check them against the WHO PQS E003 catalogue before showing them as facts.
 */
const models: Record<EquipmentModel, Omit<EquipmentSpec, "orgCode" | "serialNumber" | "deviceId" | "modelKey">> = {
  vestfrost: {
    kind: "refrigerator",
    name: "Lemari es vaksin",
    manufacturer: "Vestfrost",
    model: "VLS 054A",
    pqsCode: "E003/081",
  },
  sdd: {
    kind: "refrigerator",
    name: "Lemari es vaksin tenaga surya (SDD)",
    manufacturer: "B Medical Systems",
    model: "TCW 40R SDD",
    pqsCode: "E003/040",
  },
  ilr: {
    kind: "fridge_freezer",
    name: "Lemari es ILR / freezer gudang",
    manufacturer: "Haier",
    model: "HBC-260",
    pqsCode: null,
  },
};

const serialPrefix: Record<EquipmentModel, string> = { vestfrost: "VF054A", sdd: "BMTCW40", ilr: "HBC260" };

export function equipmentSpec(orgCode: string, modelKey: EquipmentModel, index: number): EquipmentSpec {
  const digits = orgCode.replace(/\D/g, "");
  return {
    orgCode,
    modelKey,
    ...models[modelKey],
    serialNumber: `${serialPrefix[modelKey]}-${digits}-${index}`,
    deviceId: demoDeviceId(orgCode, index),
  };
}

/** A fridge per puskesmas, a solar fridge at every third, an ice-lined unit per district store. */
export function planEquipment(units: Iterable<SeededOrgUnit>): EquipmentSpec[] {
  const sorted = [...units].sort((a, b) => a.code.localeCompare(b.code));
  const facilities = sorted.filter((unit) => unit.level === "facility");
  const districts = sorted.filter((unit) => unit.level === "district");
  return [
    ...districts.map((unit) => equipmentSpec(unit.code, "ilr", 1)),
    ...facilities.flatMap((unit, index) => {
      const fridges = [equipmentSpec(unit.code, "vestfrost", 1)];
      if ((index + 1) % 3 === 0) fridges.push(equipmentSpec(unit.code, "sdd", 2));
      return fridges;
    }),
  ];
}

export interface SeededSensor {
  id: number;
  deviceId: string;
  equipmentId: number;
  orgCode: string;
  modelKey: EquipmentModel;
}

/** Rows per statement: MySQL takes at most 65,535 placeholders. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Equipment by serial number and one sensor each by device id; rows that exist are left alone.
 * Only missing sensors are hashed (Argon2 is slow on purpose), four at a time; a national
 * dataset passes a cheaper `hashCredential`.
 */
export async function seedColdChain(
  db: Database,
  units: ReadonlyMap<string, SeededOrgUnit>,
  specs: readonly EquipmentSpec[],
  now: Date,
  hashCredential: (secret: string) => Promise<string> = hashSecret,
): Promise<SeededSensor[]> {
  if (specs.length === 0) return [];
  const rows = specs.map((item) => {
    const unit = units.get(item.orgCode);
    if (!unit) throw new Error(`equipment ${item.serialNumber}: unknown org unit ${item.orgCode}`);
    return {
      facilityId: unit.id,
      kind: item.kind,
      name: item.name,
      manufacturer: item.manufacturer,
      model: item.model,
      pqsCode: item.pqsCode,
      serialNumber: item.serialNumber,
    };
  });
  const equipmentIds = new Map<string, number>();
  for (const part of chunk(rows, ROWS_PER_STATEMENT)) {
    await db
      .insert(equipment)
      .values(part)
      .onDuplicateKeyUpdate({ set: { id: sql`id`, updatedAt: sql`updated_at` } });
    const stored = await db
      .select({ id: equipment.id, serialNumber: equipment.serialNumber })
      .from(equipment)
      .where(
        inArray(
          equipment.serialNumber,
          part.map((row) => row.serialNumber),
        ),
      );
    for (const row of stored) if (row.serialNumber !== null) equipmentIds.set(row.serialNumber, row.id);
  }

  const seeded: SeededSensor[] = [];
  for (const part of chunk(specs, ROWS_PER_STATEMENT)) {
    const deviceIds = part.map((item) => item.deviceId);
    const existing = await db
      .select({ deviceId: sensors.deviceId })
      .from(sensors)
      .where(inArray(sensors.deviceId, deviceIds));
    const present = new Set(existing.map((row) => row.deviceId));
    const missing = part.filter((item) => !present.has(item.deviceId));
    const newSensors = await mapWithConcurrency(missing, 4, async (item) => {
      const equipmentId = equipmentIds.get(item.serialNumber);
      if (equipmentId === undefined) throw new Error(`equipment ${item.serialNumber} was not stored`);
      return {
        deviceId: item.deviceId,
        equipmentId,
        credentialHash: await hashCredential(demoDeviceSecret(item.deviceId)),
        brokerPasswordHash: await demoBrokerPasswordHash(item.deviceId),
        credentialIssuedAt: now,
        expectedIntervalSeconds: DEMO_SENSOR_INTERVAL_SECONDS,
        firmware: "rantai-demo 1.0",
      };
    });
    if (newSensors.length > 0) {
      await db
        .insert(sensors)
        .values(newSensors)
        .onDuplicateKeyUpdate({ set: { id: sql`id`, updatedAt: sql`updated_at` } });
    }
    await fillMissingBrokerHashes(db, deviceIds);
    const stored = await db
      .select({ id: sensors.id, deviceId: sensors.deviceId, equipmentId: sensors.equipmentId })
      .from(sensors)
      .where(inArray(sensors.deviceId, deviceIds));
    const byDevice = new Map(stored.map((row) => [row.deviceId, row]));
    for (const item of part) {
      const row = byDevice.get(item.deviceId);
      if (row) seeded.push({ ...row, orgCode: item.orgCode, modelKey: item.modelKey });
    }
  }
  return seeded;
}

/**
 * Demo sensors seeded before broker authentication existed have no broker hash: give them one
 * (from the same demo secret) so the simulator can connect. Existing hashes are left alone.
 */
async function fillMissingBrokerHashes(db: Database, deviceIds: readonly string[]): Promise<void> {
  const missing = await db
    .select({ id: sensors.id, deviceId: sensors.deviceId })
    .from(sensors)
    .where(and(inArray(sensors.deviceId, [...deviceIds]), isNull(sensors.brokerPasswordHash)));
  await mapWithConcurrency(missing, 8, async (row) => {
    await db
      .update(sensors)
      .set({ brokerPasswordHash: await demoBrokerPasswordHash(row.deviceId) })
      .where(and(eq(sensors.id, row.id), isNull(sensors.brokerPasswordHash)));
  });
}

const modelKeys = new Map(
  Object.entries(models).map(([key, model]) => [`${model.manufacturer}|${model.model}`, key as EquipmentModel]),
);

/** The sensors on seeded equipment (found by make and model), with the model each behaves as. */
export async function findSeededSensors(db: Database): Promise<SeededSensor[]> {
  const rows = await db
    .select({
      id: sensors.id,
      deviceId: sensors.deviceId,
      equipmentId: sensors.equipmentId,
      manufacturer: equipment.manufacturer,
      model: equipment.model,
      orgCode: orgUnits.code,
    })
    .from(sensors)
    .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(eq(sensors.active, true))
    .orderBy(asc(sensors.id));
  return rows.flatMap(({ manufacturer, model, ...row }) => {
    const modelKey = modelKeys.get(`${manufacturer}|${model}`);
    return modelKey ? [{ ...row, modelKey }] : [];
  });
}
