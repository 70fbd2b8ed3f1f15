import { type Executor, facilityColdChainSummaries, orgUnits } from "@rantai/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { COLD_CHAIN_SUMMARY_MAX_AGE_MS, facilityFridgeStates } from "./scope-figures";

/**
 * The facilities' cold-chain summary rows (facility_cold_chain_summaries): their fridges,
 * offline and silent counts as of `now`, written for every active facility (none with no fridge
 * is left out, so none is counted live for lack of a row). Run every minute by the worker; each
 * row holds until COLD_CHAIN_SUMMARY_MAX_AGE_MS after `now`, or until the first of its fresh
 * fridges falls silent if that comes sooner, so a fridge going quiet is never counted late.
 * Read first and written after, in short statements: ingest's sensor-state upserts never wait
 * on this (an INSERT … SELECT would lock the states it reads).
 */

const WRITE_CHUNK = 1000;

/** A DATETIME(3) read through raw SQL (UTC text, or a Date should the driver map it) in epoch ms. */
function utcMillis(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(`${value.replace(" ", "T")}Z`);
}

export async function refreshFacilityColdChainSummaries(
  db: Executor,
  now = new Date(),
  options: { facilityIds?: readonly number[] } = {},
): Promise<{ facilities: number }> {
  const states = facilityFridgeStates(db, "/", now, options);
  const rows = await db
    .select({
      orgUnitId: orgUnits.id,
      fridges: sql<number>`COALESCE(${states.fridges}, 0)`.mapWith(Number),
      fridgesOffline: sql<number>`COALESCE(${states.fridgesOffline}, 0)`.mapWith(Number),
      fridgesSilent: sql<number>`COALESCE(${states.fridgesSilent}, 0)`.mapWith(Number),
      nextSilenceAt: sql<string | Date | null>`${states.nextSilenceAt}`,
    })
    .from(orgUnits)
    .leftJoin(states, eq(states.facilityId, orgUnits.id))
    .where(
      and(
        eq(orgUnits.level, "facility"),
        eq(orgUnits.active, true),
        options.facilityIds ? inArray(orgUnits.id, [...options.facilityIds]) : undefined,
      ),
    );
  const latest = now.getTime() + COLD_CHAIN_SUMMARY_MAX_AGE_MS;
  for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
    const values = rows.slice(start, start + WRITE_CHUNK).map(({ nextSilenceAt, ...row }) => {
      const silenceAt = nextSilenceAt === null ? latest : utcMillis(nextSilenceAt);
      return { ...row, computedAt: now, validUntil: new Date(Math.min(latest, silenceAt)) };
    });
    await db
      .insert(facilityColdChainSummaries)
      .values(values)
      .onDuplicateKeyUpdate({
        set: {
          fridges: sql`VALUES(${facilityColdChainSummaries.fridges})`,
          fridgesOffline: sql`VALUES(${facilityColdChainSummaries.fridgesOffline})`,
          fridgesSilent: sql`VALUES(${facilityColdChainSummaries.fridgesSilent})`,
          computedAt: sql`VALUES(${facilityColdChainSummaries.computedAt})`,
          validUntil: sql`VALUES(${facilityColdChainSummaries.validUntil})`,
        },
      });
  }
  return { facilities: rows.length };
}

/**
 * Drops a facility's summary row, so its fridges are counted live until the next refresh: for
 * changes to its fridges or sensors (registered, decommissioned, disabled), which the row would
 * otherwise miss for up to its maximum age.
 */
export async function forgetFacilityColdChainSummary(db: Executor, facilityId: number): Promise<void> {
  await db.delete(facilityColdChainSummaries).where(eq(facilityColdChainSummaries.orgUnitId, facilityId));
}
