import {
  alarms,
  batches,
  type Database,
  equipment,
  items,
  orgUnits,
  sensorStates,
  sensors,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
} from "@rantai/db";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { sql } from "drizzle-orm";

/** A fresh test database on the server the test run names (TEST_MYSQL_URL). */
export function createOrgsTestDatabase(label: string): Promise<TestDatabase> {
  return createTestDatabase(readTestServices(process.env).mysqlServerUrl, label);
}

export const countrySize = { provinces: 38, districts: 514, facilities: 10_000, vaccines: 5 } as const;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 2000) await insert(rows.slice(start, start + 2000));
}

/**
 * A country-sized scope for query-plan tests, written in bulk: 38 provinces, 514 districts and
 * 10,000 facilities (national unit id 1), five vaccines in two lots each at every facility with a
 * ledger entry per lot and a consumption rate per vaccine, a fridge with a sensor and its state
 * each, a live alarm at every 30th facility and three resolved ones at every facility.
 */
export async function createCountryDataset(db: Database): Promise<void> {
  const PROVINCES = countrySize.provinces;
  const DISTRICTS = countrySize.districts;
  const FACILITIES = countrySize.facilities;
  const VACCINES = countrySize.vaccines;
  // Ids fixed up front, so paths are known without reading rows back.
  const units: (typeof orgUnits.$inferInsert)[] = [
    { id: 1, parentId: null, level: "national", code: "N", name: "Indonesia", path: "/1/", depth: 0 },
  ];
  const provinceIds = Array.from({ length: PROVINCES }, (_, index) => 2 + index);
  for (const id of provinceIds) {
    units.push({
      id,
      parentId: 1,
      level: "province",
      code: `P${id}`,
      name: `Provinsi ${id}`,
      path: `/1/${id}/`,
      depth: 1,
    });
  }
  const districtIds = Array.from({ length: DISTRICTS }, (_, index) => 2 + PROVINCES + index);
  districtIds.forEach((id, index) => {
    const province = provinceIds[index % PROVINCES] ?? 2;
    units.push({
      id,
      parentId: province,
      level: "district",
      code: `D${id}`,
      name: `Kab ${id}`,
      path: `/1/${province}/${id}/`,
      depth: 2,
    });
  });
  const firstFacility = 2 + PROVINCES + DISTRICTS;
  const facilityIds = Array.from({ length: FACILITIES }, (_, index) => firstFacility + index);
  facilityIds.forEach((id, index) => {
    const district = units[1 + PROVINCES + (index % DISTRICTS)];
    units.push({
      id,
      parentId: district?.id ?? 0,
      level: "facility",
      code: `F${id}`,
      name: `Puskesmas ${id}`,
      path: `${district?.path}${id}/`,
      depth: 3,
      facilityType: "puskesmas",
    });
  });
  await insertInChunks(units, (chunk) => db.insert(orgUnits).values(chunk));

  const itemIds = Array.from({ length: VACCINES }, (_, index) => index + 1);
  await db.insert(items).values(
    itemIds.map((id) => ({
      id,
      code: `V${id}`,
      name: `Vaccine ${id}`,
      kind: "vaccine" as const,
      dosesPerVial: 10,
      freezeSensitive: id % 2 === 0,
      vvmType: "VVM14" as const,
      openVialPolicy: "keep_28_days" as const,
    })),
  );
  const batchIds = itemIds.flatMap((itemId) => [itemId * 2 - 1, itemId * 2]);
  await db.insert(batches).values(
    batchIds.map((id) => ({
      id,
      itemId: Math.ceil(id / 2),
      lotNumber: `L${id}`,
      expiryDate: id % 2 === 0 ? "2027-01-15" : "2028-06-30",
      manufacturer: "Bio Farma",
    })),
  );
  const balances = facilityIds.flatMap((orgUnitId, index) =>
    batchIds.map((batchId) => ({
      orgUnitId,
      batchId,
      itemId: Math.ceil(batchId / 2),
      quantity: (index * 7 + batchId * 13) % 400,
    })),
  );
  await insertInChunks(balances, (chunk) => db.insert(stockBalances).values(chunk));
  await insertInChunks(
    balances.map((balance, index) => ({
      orgUnitId: balance.orgUnitId,
      itemId: balance.itemId,
      batchId: balance.batchId,
      movementType: "receipt" as const,
      quantity: balance.quantity,
      balanceAfter: balance.quantity,
      idempotencyKey: `plan-${index}`,
      occurredAt: new Date(Date.now() - (index % 90) * 86_400_000),
    })),
    (chunk) => db.insert(stockLedger).values(chunk),
  );
  await insertInChunks(
    facilityIds.flatMap((orgUnitId, index) =>
      itemIds.map((itemId) => ({
        orgUnitId,
        itemId,
        averageMonthlyConsumption: (index + itemId * 31) % 150,
        windowMonths: 3,
        computedAt: new Date(),
      })),
    ),
    (chunk) => db.insert(stockConsumptionRates).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((facilityId) => ({ id: facilityId, facilityId, kind: "refrigerator" as const, name: "Fridge" })),
    (chunk) => db.insert(equipment).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((id) => ({
      id,
      deviceId: `PLAN-${id}`,
      equipmentId: id,
      credentialHash: "not-a-usable-hash",
      credentialIssuedAt: new Date(),
    })),
    (chunk) => db.insert(sensors).values(chunk),
  );
  await insertInChunks(
    facilityIds.map((sensorId, index) => {
      const at = new Date(Date.now() - (index % 5) * 1_800_000);
      return { sensorId, lastReadingAt: at, lastTempCentiC: 500, lastReceivedAt: at, online: index % 11 !== 0 };
    }),
    (chunk) => db.insert(sensorStates).values(chunk),
  );
  await insertInChunks(
    facilityIds
      .filter((_, index) => index % 30 === 0)
      .map((id, index) => ({
        equipmentId: id,
        sensorId: id,
        facilityId: id,
        type: (["heat", "freeze", "no_data"] as const)[index % 3] ?? "heat",
        status: "open" as const,
        liveKey: `${id}:${index % 3}`,
        startedAt: new Date(Date.now() - (index % 10) * 86_400_000),
      })),
    (chunk) => db.insert(alarms).values(chunk),
  );
  // Alarm history: most alarms ever raised are resolved, and only live ones are counted.
  await insertInChunks(
    facilityIds.flatMap((id) =>
      [1, 2, 3].map((age) => ({
        equipmentId: id,
        sensorId: id,
        facilityId: id,
        type: "heat" as const,
        status: "resolved" as const,
        startedAt: new Date(Date.now() - age * 20 * 86_400_000),
      })),
    ),
    (chunk) => db.insert(alarms).values(chunk),
  );
  await db.execute(
    sql`ANALYZE TABLE org_units, stock_balances, stock_ledger, equipment, sensors, sensor_states, alarms`,
  );
}
