import { hash } from "@node-rs/argon2";
import { getDistricts, getProvinces, getRegencies } from "idn-area-data";
import type { Database } from "../client";
import { planBatches, seedBatches } from "./batches";
import { type EquipmentSpec, equipmentSpec, seedColdChain } from "./coldchain";
import { floorToInterval } from "./history";
import { seedItems } from "./items";
import { type NationalReadingsResult, seedNationalReadings } from "./national-readings";
import { planNationalStoreEntries } from "./national-stock";
import {
  NATIONAL_CODE,
  NATIONAL_NAME,
  type OrgUnitSpec,
  puskesmasCode,
  type SeededOrgUnit,
  seedOrgUnits,
} from "./org-units";
import { hashString } from "./random";
import { applyStoreEntries, seedStockLevels } from "./stock";
import { groupLotsByItem, storeScales } from "./stock-plan";
import { countSeededTables, diffCounts, type SeededTable, type TableSummary } from "./summary";
import { demoAccounts, seedUsers } from "./users";

/**
 * The national dataset for benchmarks and load: every province (38) and kabupaten/kota (514) of
 * `idn-area-data`, 10,000 puskesmas derived from its 7,285 kecamatan, two fridges with sensors
 * per puskesmas and an ice-lined one per district store, stock for every store with 90 days of
 * ledger, and temperatures (see national-readings.ts). Deterministic for a given seed and scale
 * (only dates follow `now`); idempotent like the demo seed. `scale` shrinks the puskesmas (and
 * so the fridges, stock and readings) for a CI-sized variant; provinces and districts stay.
 */

export const NATIONAL_PUSKESMAS = 10_000;
export const NATIONAL_FULL_SENSORS = 1_000;

export interface NationalOptions {
  scale?: number;
  seed?: number;
  now?: Date;
  /** Sensors with raw readings for a week and rollups for a year. Default 1,000 × scale. */
  fullSensors?: number;
  /** Days of raw readings and rollups for every other sensor. Default 1. */
  restDays?: number;
  log?: (line: string) => void;
}

export interface NationalSummary {
  scale: number;
  seed: number;
  durationMs: number;
  steps: { label: string; ms: number }[];
  orgUnits: { province: number; district: number; facility: number };
  readings: NationalReadingsResult;
  stockEntriesSkipped: number;
  tables: Record<SeededTable, TableSummary>;
}

const ROMAN = ["", "", " II", " III", " IV", " V"];

/**
 * Puskesmas from kecamatan in an order drawn from the seed: the first `count` of them, one per
 * kecamatan and, past 7,285, a second ("Puskesmas X II", code suffix "-2") in the same order.
 */
export async function buildNationalOrgUnitSpecs(count: number, seed: number): Promise<OrgUnitSpec[]> {
  const [provinces, regencies, districts] = await Promise.all([getProvinces(), getRegencies(), getDistricts()]);
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
  const order = [...districts].sort(
    (a, b) => hashString(`n${seed}:kecamatan:${a.code}`) - hashString(`n${seed}:kecamatan:${b.code}`) || byCode(a, b),
  );
  const facilities: OrgUnitSpec[] = [];
  for (let index = 0; index < count && order.length > 0; index++) {
    const kecamatan = order[index % order.length];
    if (!kecamatan) break;
    const round = Math.floor(index / order.length) + 1;
    facilities.push({
      code: round === 1 ? puskesmasCode(kecamatan.code) : `${puskesmasCode(kecamatan.code)}-${round}`,
      name: `Puskesmas ${kecamatan.name}${ROMAN[round] ?? ` ${round}`}`,
      level: "facility",
      parentCode: kecamatan.regency_code,
      facilityType: "puskesmas",
    });
  }
  return [
    { code: NATIONAL_CODE, name: NATIONAL_NAME, level: "national", parentCode: null, facilityType: null },
    ...[...provinces].sort(byCode).map(
      (row): OrgUnitSpec => ({
        code: row.code,
        name: row.name,
        level: "province",
        parentCode: NATIONAL_CODE,
        facilityType: null,
      }),
    ),
    ...[...regencies].sort(byCode).map(
      (row): OrgUnitSpec => ({
        code: row.code,
        name: row.name,
        level: "district",
        parentCode: row.province_code,
        facilityType: null,
      }),
    ),
    ...facilities.sort(byCode),
  ];
}

/** Two fridges per puskesmas (a compressor and a solar one) and an ice-lined one per district store. */
export function planNationalEquipment(units: Iterable<SeededOrgUnit>): EquipmentSpec[] {
  const sorted = [...units].sort((a, b) => a.code.localeCompare(b.code));
  return sorted.flatMap((unit) => {
    if (unit.level === "district") return [equipmentSpec(unit.code, "ilr", 1)];
    if (unit.level === "facility")
      return [equipmentSpec(unit.code, "vestfrost", 1), equipmentSpec(unit.code, "sdd", 2)];
    return [];
  });
}

/**
 * Argon2id at its lowest cost for 20,000 demo device credentials: each still verifies against
 * its demo secret (the parameters travel in the hash), in well under a millisecond. The demo
 * secrets are derivable from the device ids anyway; benchmark data only, never a real device.
 */
function hashDemoCredentialCheaply(secret: string): Promise<string> {
  return hash(secret, { algorithm: 2, memoryCost: 256, timeCost: 1, parallelism: 1 });
}

const STORES_PER_PLAN = 400;

export async function seedNationalWorld(db: Database, options: NationalOptions = {}): Promise<NationalSummary> {
  const startedAt = performance.now();
  const scale = options.scale ?? 1;
  const seed = options.seed ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new Error(`scale must be in (0, 1], got ${scale}`);
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const steps: NationalSummary["steps"] = [];
  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const stepStart = performance.now();
    const result = await run();
    const ms = Math.round(performance.now() - stepStart);
    steps.push({ label, ms });
    log(`${label} (${(ms / 1000).toFixed(1)} s)`);
    return result;
  };

  const before = await countSeededTables(db);
  const specs = await buildNationalOrgUnitSpecs(Math.max(1, Math.round(NATIONAL_PUSKESMAS * scale)), seed);
  const units = await step("Org units and supply links", () => seedOrgUnits(db, specs));
  const itemList = await step("Items", () => seedItems(db));
  const batchList = await step("Batches", () => seedBatches(db, itemList, planBatches(itemList, now)));
  await step("Demo users (those whose unit exists)", () =>
    seedUsers(
      db,
      units,
      demoAccounts.filter((account) => units.has(account.orgUnitCode)),
    ),
  );
  const sensorList = await step("Equipment and sensors", () =>
    seedColdChain(db, units, planNationalEquipment(units.values()), now, hashDemoCredentialCheaply),
  );

  const stockSkipped = await step("Stock: 90 days of ledger and balances", async () => {
    const stores = [...units.values()];
    const byId = new Map(stores.map((store) => [store.id, store]));
    const scales = storeScales(stores);
    const lotsByItem = groupLotsByItem(batchList);
    let skipped = 0;
    let added = 0;
    let nextLog = Date.now() + 15_000;
    for (let start = 0; start < stores.length; start += STORES_PER_PLAN) {
      const plans = stores.slice(start, start + STORES_PER_PLAN).map((store) => ({
        orgUnitId: store.id,
        entries: planNationalStoreEntries(
          seed,
          store,
          store.parentId === null ? undefined : byId.get(store.parentId),
          scales.get(store.id) ?? 1,
          itemList,
          lotsByItem,
          now,
        ),
      }));
      const applied = await applyStoreEntries(db, plans, 2);
      skipped += applied.entriesSkipped;
      added += applied.ledgerEntriesAdded;
      if (Date.now() >= nextLog) {
        log(`stock: ${Math.min(start + STORES_PER_PLAN, stores.length)} of ${stores.length} stores, ${added} entries`);
        nextLog = Date.now() + 15_000;
      }
    }
    await seedStockLevels(db, stores, itemList);
    return skipped;
  });

  const readingsResult = await step("Temperatures: raw readings, hourly and daily rollups, latest state", () =>
    seedNationalReadings(
      db,
      sensorList,
      {
        end: floorToInterval(now),
        fullSensors: options.fullSensors ?? Math.max(1, Math.round(NATIONAL_FULL_SENSORS * scale)),
        fullYearAreas: demoAccounts
          .filter((account) => account.role === "district_officer")
          .map((account) => account.orgUnitCode),
        rawDays: 7,
        rollupDays: 365,
        restDays: options.restDays ?? 1,
        seed,
      },
      log,
    ),
  );

  const after = await countSeededTables(db);
  const levels = [...units.values()].reduce(
    (count, unit) => {
      if (unit.level !== "national") count[unit.level] += 1;
      return count;
    },
    { province: 0, district: 0, facility: 0 },
  );
  return {
    scale,
    seed,
    durationMs: Math.round(performance.now() - startedAt),
    steps,
    orgUnits: levels,
    readings: readingsResult,
    stockEntriesSkipped: stockSkipped,
    tables: diffCounts(before, after),
  };
}
