import type { Database } from "../client";
import { planBatches, seedBatches } from "./batches";
import { planEquipment, seedColdChain } from "./coldchain";
import { floorToInterval } from "./history";
import { seedItems } from "./items";
import { buildOrgUnitSpecs, seedOrgUnits } from "./org-units";
import { seedReadings } from "./readings";
import { seedStock } from "./stock";
import { countOrgUnitsByLevel, countSeededTables, diffCounts, type SeedSummary } from "./summary";
import { demoAccounts, seedUsers } from "./users";

export {
  DEMO_SENSOR_INTERVAL_SECONDS,
  demoDeviceId,
  demoDeviceSecret,
  findSeededSensors,
  type SeededSensor,
} from "./coldchain";
export {
  buildProfile,
  DEMO_EPISODES,
  type DemoEpisode,
  floorToInterval,
  type GeneratedReading,
  generateReadings,
  READING_INTERVAL_MS,
  READINGS_PER_DAY,
} from "./history";
export { itemSpecs } from "./item-catalog";
export {
  buildNationalOrgUnitSpecs,
  NATIONAL_FULL_SENSORS,
  NATIONAL_PUSKESMAS,
  type NationalOptions,
  type NationalSummary,
  seedNationalWorld,
} from "./national";
export { formatSummary, formatTable, type SeededTable, type SeedSummary } from "./summary";
export { DEMO_PASSWORD, type DemoAccount, demoAccounts } from "./users";

export interface SeedOptions {
  /** The end of the generated history (floored to 10 min); also anchors expiry and stock dates. Default: now. */
  now?: Date;
  /** Days of temperature history per sensor. Default 7. */
  historyDays?: number;
  /**
   * Whether to write the temperature history straight into the tables (default true). The
   * project's `db:seed` passes false and replays it through the alarm engine afterwards.
   */
  writeReadings?: boolean;
  log?: (line: string) => void;
}

/**
 * Builds the demo world: the national store and DI Yogyakarta down to each puskesmas, the
 * national immunization items and lots, opening stock and a week of usage through the ledger,
 * a fridge and sensor per puskesmas with a week of temperatures, and one account per role.
 *
 * Idempotent: everything is keyed by a stable code, serial, device id, email or idempotency
 * key, and a rerun adds no rows. Everything but dates is independent of `now`. The database
 * must already be migrated.
 */
export async function seedDemoWorld(db: Database, options: SeedOptions = {}): Promise<SeedSummary> {
  const startedAt = performance.now();
  const now = options.now ?? new Date();
  const historyDays = options.historyDays ?? 7;
  if (!(historyDays > 0 && historyDays <= 60)) throw new Error(`historyDays must be in (0, 60], got ${historyDays}`);
  const log = options.log ?? (() => {});
  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const stepStart = performance.now();
    const result = await run();
    log(`${label} (${Math.round(performance.now() - stepStart)} ms)`);
    return result;
  };

  const before = await countSeededTables(db);
  const units = await step("Org units and supply links", async () => seedOrgUnits(db, await buildOrgUnitSpecs()));
  const itemList = await step("Items", () => seedItems(db));
  const batchList = await step("Batches", () => seedBatches(db, itemList, planBatches(itemList, now)));
  await step("Demo users", () => seedUsers(db, units));
  const sensorList = await step("Equipment and sensors", () =>
    seedColdChain(db, units, planEquipment(units.values()), now),
  );
  const stock = await step("Stock ledger, balances and levels", () => seedStock(db, units, itemList, batchList, now));
  if (options.writeReadings ?? true) {
    await step(`Temperature history (${historyDays} days)`, () =>
      seedReadings(db, sensorList, floorToInterval(now), historyDays),
    );
  }

  const after = await countSeededTables(db);
  return {
    now,
    historyDays,
    durationMs: Math.round(performance.now() - startedAt),
    orgUnitsByLevel: await countOrgUnitsByLevel(db),
    tables: diffCounts(before, after),
    stockEntriesSkipped: stock.entriesSkipped,
    accounts: demoAccounts.map((account) => ({
      ...account,
      orgUnitName: units.get(account.orgUnitCode)?.name ?? account.orgUnitCode,
    })),
  };
}
