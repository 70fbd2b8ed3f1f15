import { createShipment, dispatchShipment, receiveShipment, requireShipmentAccess } from "@rantai/core/distribution";
import type { DomainContext } from "@rantai/core/kernel";
import { AppError } from "@rantai/core/kernel";
import {
  checkLedger,
  recordAdjustment,
  recordDiscard,
  recordReceipt,
  recordStockCount,
  recordUsage,
} from "@rantai/core/stock";
import { batches, items, type OrgUnit, shipmentLines, shipments, stockBalances, stockLedger } from "@rantai/db";
import { and, eq, gt, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../testing";
import { createItem, dateInDays, newKey, stockContextFor, type TestItem } from "./test-fixtures";

/**
 * Conservation (reliability promise D2): 8 workers run 1,000 random movements concurrently —
 * outside receipts, shipments (dispatch + receive with shortages and damage), usage, discards,
 * adjustments, counts, and replays of earlier mutations — through the domain functions. At the
 * end every balance equals its ledger, none is negative, and the doses in stores plus those in
 * transit equal what the workers' own tally says entered and left the system.
 */
const WORKERS = 8;
const OPERATIONS = 1_000;
/** Each worker's PRNG seed is SEED + its index; change SEED to explore another run. */
const SEED = 20_250_301;

let world: ApiTestWorld;
let ctx: DomainContext;
let catalogue: TestItem[];
let stores: OrgUnit[];
const lotLabels: { item: TestItem; lotNumber: string; expiryDate: string; vvmStage: number }[] = [];

beforeAll(async () => {
  world = await createApiTestWorld("conservation");
  ctx = await stockContextFor(world, world.people.nationalAdmin.id);
  catalogue = [await createItem(world.db, { dosesPerVial: 10 }), await createItem(world.db, { dosesPerVial: 20 })];
  stores = Object.values(world.units);
  for (const item of catalogue) {
    lotLabels.push(
      { item, lotNumber: `${item.code}-A`, expiryDate: dateInDays(200), vvmStage: 1 },
      { item, lotNumber: `${item.code}-B`, expiryDate: dateInDays(400), vvmStage: 2 },
      // Expired on arrival: may be received, discarded or returned, never used or transferred.
      { item, lotNumber: `${item.code}-X`, expiryDate: dateInDays(-3), vvmStage: 1 },
    );
  }
});
afterAll(async () => {
  await world?.destroy();
});

/** mulberry32: a small seeded PRNG, so each worker's choices are reproducible (interleaving is not). */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => {
    const value = list[Math.floor(next() * list.length)];
    if (value === undefined) throw new Error("pick from an empty list");
    return value;
  };
  return { next, int, pick };
}
type Random = ReturnType<typeof createRandom>;

/** What the workers saw succeed, in doses. */
const tally = { external: 0, used: 0, discarded: 0, adjusted: 0, counted: 0, lostInTransit: 0 };
const outcomes = new Map<string, number>();
const inTransit: number[] = [];
const replayable: { run: () => Promise<unknown>; result: unknown }[] = [];
/** An operation that found nothing to act on (no stock at the store picked, nothing in transit). */
function skip(): void {
  outcomes.set("skipped", (outcomes.get("skipped") ?? 0) + 1);
}
const sum = (entries: { quantity: number }[]) => entries.reduce((total, entry) => total + entry.quantity, 0);

async function heldLots(storeId: number) {
  return world.db
    .select({ batchId: stockBalances.batchId, quantity: stockBalances.quantity, dosesPerVial: items.dosesPerVial })
    .from(stockBalances)
    .innerJoin(items, eq(items.id, stockBalances.itemId))
    .where(and(eq(stockBalances.orgUnitId, storeId), gt(stockBalances.quantity, 0)));
}

/** Runs a mutation; on success keeps it for replays. Business refusals are expected under contention. */
async function attempt<T>(kind: string, run: () => Promise<T>, apply: (result: T) => void): Promise<void> {
  try {
    const result = await run();
    apply(result);
    replayable.push({ run, result });
    outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
  } catch (error) {
    if (!(error instanceof AppError) || !["CONFLICT", "UNPROCESSABLE"].includes(error.code)) throw error;
    // A deadlock retried out or a lock timeout is reported apart from a genuine stock shortage.
    const label = `${kind}:${error.message.includes("busy") ? "BUSY" : error.code}`;
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
  }
}

const operations: [number, (random: Random) => Promise<void>][] = [
  [12, receiveFromOutside],
  [18, shipDownOrBack],
  [14, receiveInTransit],
  [22, useAtFacility],
  [8, discard],
  [6, adjust],
  [8, count],
  [12, replay],
];

async function receiveFromOutside(random: Random) {
  const label = random.pick(lotLabels);
  const store = random.pick(stores.filter((unit) => unit.level !== "facility"));
  const doses = random.int(5, 60) * label.item.dosesPerVial;
  const key = newKey();
  await attempt(
    "receipt",
    () =>
      recordReceipt(ctx, {
        idempotencyKey: key,
        orgUnitId: store.id,
        supplierName: "Bio Farma",
        lines: [{ ...label, itemId: label.item.id, manufacturer: "Bio Farma", doses }],
      }),
    (result) => {
      tally.external += sum(result.entries);
    },
  );
}

async function shipDownOrBack(random: Random) {
  const sender = random.pick(stores);
  const children = stores.filter((unit) => unit.parentId === sender.id);
  const parent = stores.find((unit) => unit.id === sender.parentId);
  const receiver = children.length > 0 && (random.next() < 0.85 || !parent) ? random.pick(children) : parent;
  const held = await heldLots(sender.id);
  if (!receiver || held.length === 0) return skip();
  const lot = random.pick(held);
  const doses = random.int(1, Math.max(1, lot.quantity / lot.dosesPerVial)) * lot.dosesPerVial;
  const [createKey, dispatchKey] = [newKey(), newKey()];
  await attempt(
    "shipment",
    async () => {
      const draft = await createShipment(ctx, sender, {
        idempotencyKey: createKey,
        senderOrgUnitId: sender.id,
        receiverOrgUnitId: receiver.id,
        lines: [{ batchId: lot.batchId, doses }],
      });
      const found = await requireShipmentAccess(ctx, draft.shipmentId, { action: "test", side: "sender", write: true });
      return dispatchShipment(ctx, found, { idempotencyKey: dispatchKey, shipmentId: draft.shipmentId });
    },
    (result) => inTransit.push(result.shipmentId),
  );
}

async function receiveInTransit(random: Random) {
  if (inTransit.length === 0) return skip();
  const [shipmentId] = inTransit.splice(random.int(0, inTransit.length - 1), 1);
  if (shipmentId === undefined) return;
  const found = await requireShipmentAccess(ctx, shipmentId, { action: "test", side: "receiver", write: true });
  const [line] = await world.db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, shipmentId));
  const perVial = catalogue.find((item) => item.id === line?.itemId)?.dosesPerVial ?? 1;
  const vials = (line?.quantity ?? 0) / perVial;
  const received = random.int(0, vials);
  const damaged = random.int(0, vials - received);
  const lines =
    line && random.next() < 0.4
      ? [{ shipmentLineId: line.id, receivedDoses: received * perVial, damagedDoses: damaged * perVial }]
      : undefined;
  const key = newKey();
  await attempt(
    "receive",
    () => receiveShipment(ctx, found, { idempotencyKey: key, shipmentId, lines }),
    (result) => {
      for (const summary of result.lines) {
        tally.lostInTransit += summary.shortDoses;
        tally.discarded += summary.damagedDoses;
      }
    },
  );
}

async function withHeldLot(random: Random, facilitiesOnly: boolean) {
  const store = random.pick(stores.filter((unit) => !facilitiesOnly || unit.level === "facility"));
  const held = await heldLots(store.id);
  return held.length === 0 ? null : { store, lot: random.pick(held) };
}

async function useAtFacility(random: Random) {
  const target = await withHeldLot(random, true);
  if (!target) return skip();
  const vialsOpened = random.int(1, 4);
  const lines = [{ batchId: target.lot.batchId, vialsOpened, dosesAdministered: random.int(0, vialsOpened) }];
  const key = newKey();
  await attempt(
    "usage",
    () => recordUsage(ctx, { idempotencyKey: key, orgUnitId: target.store.id, lines }),
    (result) => {
      tally.used -= sum(result.entries);
    },
  );
}

async function discard(random: Random) {
  const target = await withHeldLot(random, false);
  if (!target) return skip();
  const reason = random.pick(["expired", "broken", "frozen", "heat_exposed"] as const);
  const lines = [{ batchId: target.lot.batchId, vials: random.int(1, 3), reason }];
  const key = newKey();
  await attempt(
    "discard",
    () => recordDiscard(ctx, { idempotencyKey: key, orgUnitId: target.store.id, lines }),
    (result) => {
      tally.discarded -= sum(result.entries);
    },
  );
}

async function adjust(random: Random) {
  const target = await withHeldLot(random, false);
  if (!target) return skip();
  const doses = random.pick([-2, -1, 1, 2]) * target.lot.dosesPerVial;
  const input = { orgUnitId: target.store.id, batchId: target.lot.batchId, doses, note: "conservation test" };
  const key = newKey();
  await attempt(
    "adjustment",
    () => recordAdjustment(ctx, { idempotencyKey: key, ...input, reason: "data_correction" }),
    (result) => {
      tally.adjusted += sum(result.entries);
    },
  );
}

async function count(random: Random) {
  const target = await withHeldLot(random, false);
  if (!target) return skip();
  const countedDoses = Math.max(0, target.lot.quantity + random.int(-2, 1) * target.lot.dosesPerVial);
  const lines = [{ batchId: target.lot.batchId, countedDoses }];
  const key = newKey();
  await attempt(
    "count",
    () => recordStockCount(ctx, { idempotencyKey: key, orgUnitId: target.store.id, lines }),
    (result) => {
      tally.counted += sum(result.entries);
    },
  );
}

/** Sends an earlier successful mutation again with its key: same answer, no new effect. */
async function replay(random: Random) {
  if (replayable.length === 0) return skip();
  const earlier = random.pick(replayable);
  expect(await earlier.run()).toEqual(earlier.result);
  outcomes.set("replay", (outcomes.get("replay") ?? 0) + 1);
}

async function worker(index: number) {
  const random = createRandom(SEED + index);
  const totalWeight = operations.reduce((total, [weight]) => total + weight, 0);
  for (let step = 0; step < OPERATIONS / WORKERS; step++) {
    const roll = random.next() * totalWeight;
    let cumulative = 0;
    const operation = operations.find(([weight]) => {
      cumulative += weight;
      return roll < cumulative;
    });
    await (operation ?? operations[0])?.[1](random);
  }
}

describe("conservation under concurrent random movements", () => {
  it(`${WORKERS} workers × ${OPERATIONS / WORKERS} operations: no dose created or lost`, async () => {
    // Opening stock everywhere (usable lots), so few operations find an empty store.
    for (const store of stores) {
      const lines = lotLabels
        .filter((label) => label.vvmStage === 1 && label.expiryDate > dateInDays(0))
        .map((label) => ({
          ...label,
          itemId: label.item.id,
          manufacturer: "Bio Farma",
          doses: 50 * label.item.dosesPerVial,
        }));
      const opening = await recordReceipt(ctx, {
        idempotencyKey: newKey(),
        orgUnitId: store.id,
        supplierName: "Bio Farma",
        lines: lines.map(({ item: _item, ...line }) => line),
      });
      tally.external += sum(opening.entries);
    }
    const started = Date.now();
    await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));
    const elapsedMs = Date.now() - started;

    const check = await checkLedger(world.db);
    expect(check).toMatchObject({ ok: true, mismatches: [], chainBreaks: [], negativeBalances: 0 });
    const [stock] = await world.db
      .select({ doses: sql<number>`COALESCE(SUM(${stockBalances.quantity}), 0)`.mapWith(Number) })
      .from(stockBalances);
    const [transit] = await world.db
      .select({ doses: sql<number>`COALESCE(SUM(${shipmentLines.quantity}), 0)`.mapWith(Number) })
      .from(shipmentLines)
      .innerJoin(shipments, eq(shipments.id, shipmentLines.shipmentId))
      .where(eq(shipments.status, "dispatched"));
    const expected =
      tally.external - tally.used - tally.discarded + tally.adjusted + tally.counted - tally.lostInTransit;
    expect((stock?.doses ?? 0) + (transit?.doses ?? 0)).toBe(expected);

    // The ledger tells the same story as the workers, type by type.
    const byType = await world.db
      .select({
        type: stockLedger.movementType,
        doses: sql<number>`SUM(${stockLedger.quantity})`.mapWith(Number),
      })
      .from(stockLedger)
      .groupBy(stockLedger.movementType);
    const ledger = Object.fromEntries(byType.map((row) => [row.type, row.doses]));
    expect(ledger.receipt ?? 0).toBe(tally.external);
    expect(-(ledger.usage ?? 0)).toBe(tally.used);
    expect(-(ledger.discard ?? 0)).toBe(tally.discarded);
    expect(ledger.adjustment ?? 0).toBe(tally.adjusted);
    expect(ledger.count ?? 0).toBe(tally.counted);
    const transfers =
      (ledger.transfer_out ?? 0) + (ledger.transfer_in ?? 0) + (ledger.return_out ?? 0) + (ledger.return_in ?? 0);
    expect(transfers).toBe(-(transit?.doses ?? 0) - tally.lostInTransit);

    // Stock stays in whole vials.
    const [oddLots] = await world.db
      .select({ n: sql<number>`COUNT(*)`.mapWith(Number) })
      .from(stockBalances)
      .innerJoin(batches, eq(batches.id, stockBalances.batchId))
      .innerJoin(items, eq(items.id, batches.itemId))
      .where(sql`${stockBalances.quantity} % ${items.dosesPerVial} <> 0`);
    expect(oddLots?.n).toBe(0);

    const succeeded = [...outcomes]
      .filter(([kind]) => !kind.includes(":") && kind !== "skipped")
      .reduce((n, [, c]) => n + c, 0);
    expect(succeeded).toBeGreaterThan(OPERATIONS / 2);
    console.log(
      JSON.stringify({
        seed: SEED,
        elapsedMs,
        ledgerEntries: check.entriesChecked,
        balances: check.balancesChecked,
        stockDoses: stock?.doses,
        inTransitDoses: transit?.doses,
        tally,
        outcomes: Object.fromEntries(outcomes),
      }),
    );
  });
});
