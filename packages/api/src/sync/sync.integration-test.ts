import { hashPayload, observeIdempotency } from "@rantai/core/kernel";
import { suggestedOrderDoses, usableDoses } from "@rantai/core/rules";
import { recordDiscard, recordUsage } from "@rantai/core/stock";
import type { TSyncAction, TSyncActionResult } from "@rantai/core/sync";
import {
  auditLog,
  clientMutations,
  items,
  readings,
  sensorStates,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
  syncClients,
  syncRejections,
} from "@rantai/db";
import { createUser } from "@rantai/db/factories";
import { TRPCError } from "@trpc/server";
import { and, count, eq, gt, sql, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createItem,
  newKey,
  prepareShipment,
  receiveLot,
  stockContextFor,
  type TestItem,
} from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf, shapeSentFor } from "../testing";
import { phoneClient } from "./testing";

/**
 * The phone's sync pair on the real database: a push applies each queued action once through its
 * online domain function (replays and concurrent resends change nothing), a rejected action does
 * not stop the rest, and a pull resumes from its cursor with exactly what changed.
 */
let world: ApiTestWorld;
let item: TestItem;
beforeAll(async () => {
  world = await createApiTestWorld("sync");
  item = await createItem(world.db, { dosesPerVial: 10 });
});
afterAll(async () => {
  await world?.destroy();
});

const facility = () => world.units.facilityA1.id;
const staff = () => world.callerFor(world.people.facilityStaffA1.id);

async function lotAtFacility(doses: number) {
  return receiveLot(await stockContextFor(world, world.people.nationalAdmin.id), facility(), item, doses);
}

const usage = (batchId: number, vialsOpened: number): TSyncAction => ({
  kind: "stock.recordUsage",
  clientTime: new Date(),
  input: { idempotencyKey: newKey(), orgUnitId: facility(), lines: [{ batchId, vialsOpened, dosesAdministered: 5 }] },
});
const discard = (batchId: number, vials: number): TSyncAction => ({
  kind: "stock.recordDiscard",
  clientTime: new Date(),
  input: { idempotencyKey: newKey(), orgUnitId: facility(), lines: [{ batchId, vials, reason: "broken" }] },
});
const adjust = (batchId: number, doses: number): TSyncAction => ({
  kind: "stock.recordAdjustment",
  clientTime: new Date(),
  input: {
    idempotencyKey: newKey(),
    orgUnitId: facility(),
    batchId,
    doses,
    reason: doses > 0 ? "found" : "data_correction",
    note: "In the cold box",
  },
});
const count_ = (batchId: number, countedDoses: number): TSyncAction => ({
  kind: "stock.recordStockCount",
  clientTime: new Date(),
  input: { idempotencyKey: newKey(), orgUnitId: facility(), lines: [{ batchId, countedDoses }] },
});

async function balanceOf(batchId: number): Promise<number> {
  const [row] = await world.db
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, facility()), eq(stockBalances.batchId, batchId)));
  return row?.quantity ?? 0;
}

/** Conservation: the balance equals the sum of the lot's ledger entries, and the entries counted. */
async function ledgerOf(batchId: number) {
  const [row] = await world.db
    .select({ entries: count(), total: sum(stockLedger.quantity) })
    .from(stockLedger)
    .where(and(eq(stockLedger.orgUnitId, facility()), eq(stockLedger.batchId, batchId)));
  return { entries: row?.entries ?? 0, total: Number(row?.total ?? 0) };
}

async function reasonOf(promise: Promise<unknown>) {
  const error = await errorOf(promise);
  return { code: error.code, reason: shapeSentFor(error).data.reason };
}

async function lastMutationIdOf(clientId: string): Promise<number | undefined> {
  const [row] = await world.db
    .select({ last: syncClients.lastMutationId })
    .from(syncClients)
    .where(eq(syncClients.clientId, clientId));
  return row?.last;
}

const statuses = (results: readonly TSyncActionResult[]) => results.map((result) => result.status);

describe("sync.push", () => {
  it("applies accepted actions and reports rejected ones amid them, in order, without stopping", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const { results } = await api.sync.push(
      phoneClient(facility()).push([
        usage(batchId, 2), // 100 → 80
        discard(batchId, 50), // needs 500: rejected
        adjust(batchId, 10), // 80 → 90
        adjust(batchId, -5), // not whole vials: rejected
        count_(batchId, 70), // 90 → 70
      ]),
    );
    expect(statuses(results)).toEqual(["applied", "rejected", "applied", "rejected", "applied"]);
    const low = results[1];
    expect(low?.status === "rejected" && low.reason).toBe("stock.insufficient");
    expect(low?.status === "rejected" && low.params).toMatchObject({ availableDoses: 80, neededDoses: 500, batchId });
    const partial = results[3];
    expect(partial?.status === "rejected" && partial.reason).toBe("stock.not_whole_vials");
    expect(await balanceOf(batchId)).toBe(70);
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 70 });
  });

  it("applies a batch once over 3 sequential and 3 concurrent replays, answering the same each time", async () => {
    const batchId = await lotAtFacility(200);
    const api = await staff();
    const phone = phoneClient(facility());
    const batch = phone.push([usage(batchId, 3), discard(batchId, 1), adjust(batchId, 20), discard(batchId, 100)]);
    const first = await api.sync.push(batch);
    expect(statuses(first.results)).toEqual(["applied", "applied", "applied", "rejected"]);
    const appliedResults = first.results
      .slice(0, 3)
      .map((result) => (result.status === "applied" ? result.result : null));

    for (let replay = 0; replay < 3; replay++) {
      const again = await api.sync.push(batch);
      expect(statuses(again.results)).toEqual(["duplicate", "duplicate", "duplicate", "rejected"]);
      expect(again.results.slice(0, 3).map((result) => (result.status === "duplicate" ? result.result : null))).toEqual(
        appliedResults,
      );
    }
    const concurrent = await Promise.all([api.sync.push(batch), api.sync.push(batch), api.sync.push(batch)]);
    for (const answer of concurrent) {
      expect(statuses(answer.results)).toEqual(["duplicate", "duplicate", "duplicate", "rejected"]);
    }
    // The same key with other content (a phone bug, or an edited queue) is refused, not applied.
    const [firstAction] = batch.actions;
    if (firstAction?.kind !== "stock.recordUsage") throw new Error("the first action is a usage");
    const edited = { ...firstAction, input: { ...firstAction.input, note: "edited after sending" } };
    const mismatch = await api.sync.push({ ...batch, actions: [edited] });
    expect(mismatch.results[0]?.status === "rejected" && mismatch.results[0].reason).toBe(
      "idempotency.payload_mismatch",
    );
    expect(await balanceOf(batchId)).toBe(200 - 30 - 10 + 20);
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 180 });
  });

  it("applies a new batch sent 3 times at once exactly once", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const batch = phoneClient(facility()).push([usage(batchId, 1), usage(batchId, 1), discard(batchId, 1)]);
    const answers = await Promise.allSettled([api.sync.push(batch), api.sync.push(batch), api.sync.push(batch)]);
    // Each action is applied by exactly one of the pushes; the others see it as a duplicate (or,
    // while the winner still holds the key, defer it for the next resend).
    for (let index = 0; index < 3; index++) {
      const seen = answers.flatMap((answer) =>
        answer.status === "fulfilled" ? [answer.value.results[index]?.status] : [],
      );
      expect(seen.filter((status) => status === "applied")).toHaveLength(1);
      expect(seen.every((status) => status === "applied" || status === "duplicate" || status === "deferred")).toBe(
        true,
      );
    }
    const resend = await api.sync.push(batch);
    expect(statuses(resend.results)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 70 });
  });

  it("answers a resend after a crash between apply and response with the applied results, applying nothing twice", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const actions = [discard(batchId, 1), usage(batchId, 2), adjust(batchId, 10)];
    // The server applied the first action and died before answering: its effect is committed.
    const [crashed] = actions;
    if (crashed?.kind !== "stock.recordDiscard") throw new Error("the first action is a discard");
    const applied = await recordDiscard(await stockContextFor(world, world.people.facilityStaffA1.id), {
      ...crashed.input,
      occurredAt: crashed.clientTime,
    });
    const batch = phoneClient(facility()).push(actions);
    const resent = await api.sync.push(batch);
    expect(statuses(resent.results)).toEqual(["duplicate", "applied", "applied"]);
    expect(resent.results[0]?.status === "duplicate" && resent.results[0].result).toEqual(
      JSON.parse(JSON.stringify(applied)),
    );
    // The whole push lost on the way back: the phone resends it all.
    const again = await api.sync.push(batch);
    expect(statuses(again.results)).toEqual(["duplicate", "duplicate", "duplicate"]);
    expect(again.results.slice(1)).toEqual(
      resent.results.slice(1).map((result) => ({ ...result, status: "duplicate" })),
    );
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 100 - 10 - 20 + 10 });
  });

  it("defers an action whose key is still being saved, and every action after it, keeping the order", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const held = usage(batchId, 1);
    if (held.kind !== "stock.recordUsage") throw new Error("a usage");
    // Another request claimed this key and has not stored its result (what a replay meets while
    // the first attempt is still in its transaction).
    const { idempotencyKey, ...payload } = held.input;
    await world.db.insert(clientMutations).values({
      idempotencyKey,
      userId: world.people.facilityStaffA1.id,
      procedure: "stock.recordUsage",
      payloadHash: hashPayload({ ...payload, occurredAt: held.clientTime }),
      result: null,
    });
    const { results } = await api.sync.push(
      phoneClient(facility()).push([adjust(batchId, 10), held, usage(batchId, 1), discard(batchId, 1)]),
    );
    expect(statuses(results)).toEqual(["applied", "deferred", "deferred", "deferred"]);
    expect(results[1]?.status === "deferred" && results[1].reason).toBe("idempotency.in_progress");
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 110 });
  });

  it("lets two devices of one facility spend the same lot: the one that finds it empty is refused, nothing counted twice", async () => {
    const batchId = await lotAtFacility(50);
    const phoneA = await staff();
    const phoneB = await staff();
    const [a, b] = await Promise.all([
      phoneA.sync.push(phoneClient(facility()).push([usage(batchId, 3)])),
      phoneB.sync.push(phoneClient(facility()).push([discard(batchId, 3)])),
    ]);
    const outcomes = [...(a?.results ?? []), ...(b?.results ?? [])];
    expect(outcomes.filter((result) => result.status === "applied")).toHaveLength(1);
    const refused = outcomes.find((result) => result.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBe("stock.insufficient");
    expect(refused?.status === "rejected" && refused.params).toMatchObject({ availableDoses: 20, neededDoses: 30 });
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 20 });
  });

  it("receives a shipment and creates a request through the distribution functions, once", async () => {
    const sent = await prepareShipment(world, item, world.units.districtA, "dispatched");
    expect(sent.receiver.id).toBe(facility());
    const api = await staff();
    const actions: TSyncAction[] = [
      {
        kind: "distribution.receiveShipment",
        clientTime: new Date(),
        input: { idempotencyKey: newKey(), shipmentId: sent.shipmentId },
      },
      {
        kind: "distribution.createRequest",
        clientTime: new Date(),
        input: {
          idempotencyKey: newKey(),
          requesterOrgUnitId: facility(),
          lines: [{ itemId: item.id, requestedDoses: 40 }],
        },
      },
      {
        kind: "distribution.receiveShipment",
        clientTime: new Date(),
        input: { idempotencyKey: newKey(), shipmentId: sent.shipmentId },
      },
    ];
    const batch = phoneClient(facility()).push(actions);
    const { results } = await api.sync.push(batch);
    expect(statuses(results)).toEqual(["applied", "applied", "rejected"]);
    expect(results[2]?.status === "rejected" && results[2].reason).toBe("distribution.shipment_status");
    expect(await balanceOf(sent.batchId)).toBe(item.dosesPerVial);
    const replay = await api.sync.push(batch);
    expect(statuses(replay.results)).toEqual(["duplicate", "duplicate", "rejected"]);
    expect(await balanceOf(sent.batchId)).toBe(item.dosesPerVial);
  });

  it("refuses a push for another facility, and an action naming another facility inside one's own push", async () => {
    const batchId = await lotAtFacility(100);
    const other = await world.callerFor(world.people.facilityStaffB1.id);
    const refused = await other.sync
      .push(phoneClient(facility()).push([usage(batchId, 1)]))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");

    const b1 = world.units.facilityB1.id;
    const foreign: TSyncAction = {
      kind: "stock.recordDiscard",
      clientTime: new Date(),
      input: { idempotencyKey: newKey(), orgUnitId: b1, lines: [{ batchId, vials: 1, reason: "broken" }] },
    };
    const api = await staff();
    const { results } = await api.sync.push(phoneClient(facility()).push([foreign, usage(batchId, 1)]));
    expect(statuses(results)).toEqual(["rejected", "applied"]);
    expect(results[0]?.status === "rejected" && results[0].reason).toBe("scope.forbidden");
    const [denials] = await world.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "stock.recordDiscard"), eq(auditLog.outcome, "denied")));
    expect(denials?.n).toBeGreaterThan(0);
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 90 });
  });
});

describe("sync.pull", () => {
  it("sends the whole state first, then only what changed after the cursor", async () => {
    const api = await staff();
    const batchId = await lotAtFacility(100);
    // The catalogue as it stands outside this test: edited long before the pulls below (recent
    // edits are sent again for a while, as the overlap of state clocks wants).
    await world.db.update(items).set({ updatedAt: new Date(Date.now() - 3_600_000) });
    const first = await api.sync.pull({ orgUnitId: facility(), limit: 1000 });
    expect(first.full).toBe(true);
    expect(first.hasMore).toBe(false);
    expect(first.balances.some((balance) => balance.batchId === batchId && balance.quantity === 100)).toBe(true);
    expect(first.ledger.some((entry) => entry.batchId === batchId)).toBe(true);
    expect(first.states?.reference?.items.some((row) => row.id === item.id)).toBe(true);
    expect(first.states?.fridges.length ?? 0).toBeGreaterThan(0);

    // A first pull in small pages: every page is part of the full state, the last one with the reference data.
    let paged = await api.sync.pull({ orgUnitId: facility(), limit: 1 });
    let pages = 1;
    while (paged.hasMore) {
      expect(paged.states).toBeNull();
      paged = await api.sync.pull({ orgUnitId: facility(), cursor: paged.cursor, limit: 1 });
      pages++;
    }
    expect(pages).toBe(first.ledger.length);
    expect(paged.full).toBe(true);
    expect(paged.states?.reference?.items.some((row) => row.id === item.id)).toBe(true);

    const nothing = await api.sync.pull({ orgUnitId: facility(), cursor: first.cursor });
    expect(nothing.ledger).toEqual([]);
    expect(nothing.balances).toEqual([]);

    const { results } = await api.sync.push(phoneClient(facility()).push([usage(batchId, 1)]));
    expect(statuses(results)).toEqual(["applied"]);
    const change = await api.sync.pull({ orgUnitId: facility(), cursor: nothing.cursor });
    expect(change.full).toBe(false);
    expect(change.ledger.map((entry) => [entry.batchId, entry.quantity])).toEqual([[batchId, -10]]);
    expect(change.balances).toMatchObject([{ batchId, quantity: 90 }]);
    expect(change.states?.reference).toBeNull();
    // An edited catalogue entry sends the reference data again.
    await world.db
      .update(items)
      .set({ name: `${item.name} (renamed)` })
      .where(eq(items.id, item.id));
    const renamed = await api.sync.pull({ orgUnitId: facility(), cursor: change.cursor });
    expect(renamed.ledger).toEqual([]);
    expect(renamed.states?.reference?.items).toContainEqual(
      expect.objectContaining({ id: item.id, name: `${item.name} (renamed)` }),
    );
  });

  it("sends each fridge's reading from half an hour before its latest (the trend) and the consumption per item", async () => {
    const api = await staff();
    const [fridge] = (await api.sync.pull({ orgUnitId: facility(), limit: 1000 })).states?.fridges ?? [];
    const sensorId = fridge?.sensorId;
    if (!sensorId) throw new Error("each puskesmas of the test world has a fridge with a sensor");
    const latestAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const reading = (minutesBefore: number, tempCentiC: number) => ({
      sensorId,
      ts: new Date(latestAt.getTime() - minutesBefore * 60_000),
      tempCentiC,
      receivedAt: latestAt,
    });
    // Ten minutes before the latest is too recent for the trend; forty minutes before is the one.
    await world.db.insert(readings).values([reading(0, 720), reading(10, 700), reading(40, 510)]);
    const state = { lastReadingAt: latestAt, lastTempCentiC: 720, lastReceivedAt: latestAt };
    await world.db
      .insert(sensorStates)
      .values({ sensorId, ...state })
      .onDuplicateKeyUpdate({ set: state });
    await world.db.insert(stockConsumptionRates).values({
      orgUnitId: facility(),
      itemId: item.id,
      averageMonthlyConsumption: 140,
      windowMonths: 3,
      computedAt: latestAt,
    });

    const pulled = await api.sync.pull({ orgUnitId: facility(), limit: 1000 });
    const trended = pulled.states?.fridges.find((row) => row.sensorId === sensorId);
    expect(trended?.latest?.tempC).toBe(7.2);
    expect(trended?.earlier).toEqual({ tempC: 5.1, ts: reading(40, 510).ts });
    expect(pulled.states?.consumption).toContainEqual({ itemId: item.id, averageMonthlyConsumption: 140 });
  });

  it("sends a shipment on its way, then its receipt, and a request's status, each when it changed", async () => {
    const api = await staff();
    let cursor = (await api.sync.pull({ orgUnitId: facility(), limit: 1000 })).cursor;
    const drain = async () => {
      for (;;) {
        const page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 1000 });
        cursor = page.cursor;
        if (!page.hasMore) return page;
      }
    };
    const sent = await prepareShipment(world, item, world.units.districtA, "dispatched");
    const onTheWay = await drain();
    // With its sender and lines, so the phone receives it offline.
    expect(onTheWay.states?.incomingShipments).toContainEqual(
      expect.objectContaining({
        id: sent.shipmentId,
        status: "dispatched",
        senderName: world.units.districtA.name,
        lines: [expect.objectContaining({ id: sent.lineId, batchId: sent.batchId, doses: item.dosesPerVial })],
      }),
    );
    expect(onTheWay.ledger).toEqual([]);

    const requestKey = newKey();
    const { results } = await api.sync.push(
      phoneClient(facility()).push([
        {
          kind: "distribution.receiveShipment",
          clientTime: new Date(),
          input: { idempotencyKey: newKey(), shipmentId: sent.shipmentId },
        },
        {
          kind: "distribution.createRequest",
          clientTime: new Date(),
          input: {
            idempotencyKey: requestKey,
            requesterOrgUnitId: facility(),
            lines: [{ itemId: item.id, requestedDoses: 20 }],
          },
        },
      ]),
    );
    expect(statuses(results)).toEqual(["applied", "applied"]);
    const received = await drain();
    expect(received.states?.incomingShipments).toContainEqual(
      expect.objectContaining({ id: sent.shipmentId, status: "received" }),
    );
    expect(received.states?.requests).toContainEqual(expect.objectContaining({ status: "submitted" }));
    expect(received.ledger.map((entry) => [entry.movementType, entry.batchId])).toEqual([
      ["transfer_in", sent.batchId],
    ]);
    expect(received.balances).toMatchObject([{ batchId: sent.batchId, quantity: item.dosesPerVial }]);
  });

  it("after a week offline pages through every change in order, losing nothing", async () => {
    const api = await staff();
    const start = await api.sync.pull({ orgUnitId: facility(), limit: 1000 });
    let cursor = start.cursor;
    for (let page = start; page.hasMore; ) {
      page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 1000 });
      cursor = page.cursor;
    }
    const batchId = await lotAtFacility(10_000);
    const week: TSyncAction[] = [];
    for (let day = 7; day >= 1; day--) {
      for (let session = 0; session < 30; session++) {
        week.push({ ...usage(batchId, 1), clientTime: new Date(Date.now() - day * 86_400_000 + session * 60_000) });
      }
    }
    const pushed = await api.sync.push(phoneClient(facility()).push(week));
    expect(pushed.results.every((result) => result.status === "applied")).toBe(true);

    const seen: number[] = [];
    let pages = 0;
    for (;;) {
      const page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 50 });
      seen.push(...page.ledger.map((entry) => entry.id));
      cursor = page.cursor;
      pages++;
      if (!page.hasMore) break;
      expect(page.states).toBeNull();
    }
    const [stored] = await world.db
      .select({ n: count() })
      .from(stockLedger)
      .where(and(eq(stockLedger.orgUnitId, facility()), eq(stockLedger.batchId, batchId)));
    expect(seen).toHaveLength((stored?.n ?? 0) as number);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(4);
    expect(await balanceOf(batchId)).toBe(10_000 - 210 * 10);
  });

  it("pulling while devices push loses no entry and repeats none", async () => {
    const api = await staff();
    let cursor = (await api.sync.pull({ orgUnitId: facility(), limit: 1000 })).cursor;
    for (let page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 1000 }); ; ) {
      cursor = page.cursor;
      if (!page.hasMore) break;
      page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 1000 });
    }
    const [{ maxId } = { maxId: 0 }] = await world.db
      .select({ maxId: sql<number>`COALESCE(MAX(${stockLedger.id}), 0)` })
      .from(stockLedger)
      .where(eq(stockLedger.orgUnitId, facility()));
    const lots = [await lotAtFacility(1000), await lotAtFacility(1000)];
    const seen: number[] = [];
    let pushing = true;
    const puller = (async () => {
      while (pushing) {
        const page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 7 });
        seen.push(...page.ledger.map((entry) => entry.id));
        cursor = page.cursor;
      }
    })();
    await Promise.all(
      [0, 1, 2, 3].map(async (device) => {
        const phone = await staff();
        const client = phoneClient(facility());
        for (let round = 0; round < 5; round++) {
          const lot = lots[(device + round) % lots.length] ?? 0;
          await phone.sync.push(client.push([usage(lot, 1), discard(lot, 1)]));
        }
      }),
    );
    pushing = false;
    await puller;
    for (;;) {
      const page = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 7 });
      seen.push(...page.ledger.map((entry) => entry.id));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const stored = await world.db
      .select({ id: stockLedger.id })
      .from(stockLedger)
      .where(and(eq(stockLedger.orgUnitId, facility()), gt(stockLedger.id, Number(maxId))))
      .orderBy(stockLedger.id);
    expect(stored).toHaveLength(2 + 4 * 5 * 2);
    expect(seen).toEqual(stored.map((row) => row.id));
  });

  it("sends the figures behind a request's suggestion when they change, so the phone suggests what the server does", async () => {
    const api = await staff();
    const own = await createItem(world.db, { dosesPerVial: 10 });
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    const batchId = await receiveLot(
      await stockContextFor(world, world.people.nationalAdmin.id),
      facility(),
      own,
      400,
      {
        occurredAt: days(40),
      },
    );
    // 30 vials used over the last weeks: 300 doses in a 40-day history leave 100 doses, below the minimum.
    const sessions = [days(30), days(20), days(10)].map((at) => ({ ...usage(batchId, 10), clientTime: at }));
    const phone = phoneClient(facility());
    expect(statuses((await api.sync.push(phone.push(sessions))).results)).toEqual(["applied", "applied", "applied"]);

    let cursor: string | undefined;
    let last: Awaited<ReturnType<typeof api.sync.pull>>;
    const balances = new Map<number, { quantity: number; expiryDate: string; vvmStage: number; itemId: number }>();
    do {
      last = await api.sync.pull({ orgUnitId: facility(), cursor, limit: 1000 });
      for (const balance of last.balances) balances.set(balance.batchId, balance);
      cursor = last.cursor;
    } while (last.hasMore);
    const figures = last.states?.itemFigures?.find((row) => row.itemId === own.id);
    expect(figures).toMatchObject({ averageMonthlyConsumption: 225, minMonths: 1, maxMonths: 2 });
    if (!figures) throw new Error("the figures were checked above");
    // The phone's suggestion, from what it pulled and the pure rules.
    const usable = usableDoses(
      [...balances.values()].filter((lot) => lot.itemId === own.id),
      new Date(),
    );
    const suggested = suggestedOrderDoses({
      stockOnHand: usable,
      amc: figures.averageMonthlyConsumption,
      level: figures,
      dosesPerVial: own.dosesPerVial,
    });
    expect(suggested).toBe(350);

    // Nothing moved or was edited since (entries and the item dated before the state overlap): the figures are not computed again.
    await world.db.update(items).set({ updatedAt: days(1) });
    await world.db
      .update(stockLedger)
      .set({ recordedAt: days(1) })
      .where(eq(stockLedger.orgUnitId, facility()));
    const quiet = await api.sync.pull({ orgUnitId: facility(), cursor });
    expect(quiet.states?.itemFigures).toBeNull();

    // The server's own suggestion on the request it creates is the phone's; the request comes back with its lines.
    const created = await api.distribution.createRequest({
      idempotencyKey: newKey(),
      requesterOrgUnitId: facility(),
      lines: [{ itemId: own.id, requestedDoses: 400 }],
    });
    expect(created.lines).toEqual([expect.objectContaining({ itemId: own.id, suggestedDoses: suggested })]);
    const after = await api.sync.pull({ orgUnitId: facility(), cursor: quiet.cursor });
    expect(after.states?.requests).toContainEqual(
      expect.objectContaining({
        id: created.requestId,
        status: "submitted",
        lines: [{ itemId: own.id, requestedDoses: 400, approvedDoses: null }],
      }),
    );
    // A movement since the last pull brings them again.
    await api.sync.push(phone.push([discard(batchId, 1)]));
    const moved = await api.sync.pull({ orgUnitId: facility(), cursor: after.cursor });
    expect(moved.states?.itemFigures?.find((row) => row.itemId === own.id)).toBeDefined();
  });

  it("refuses another facility's changes", async () => {
    const other = await world.callerFor(world.people.facilityStaffB1.id);
    const refused = await other.sync.pull({ orgUnitId: facility() }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
  });
});

describe("sync.push numbering (each client's actions 1, 2, 3…)", () => {
  it("skips numbers already settled, answering them from what was stored, and applies the next", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const phone = phoneClient(facility());
    const sent = [usage(batchId, 1), discard(batchId, 50), adjust(batchId, 10)];
    const first = await api.sync.push(phone.from(1, sent));
    expect(statuses(first.results)).toEqual(["applied", "rejected", "applied"]);
    expect(first.lastMutationId).toBe(3);
    // The answer was lost: the phone sends 2 and 3 again with its next action, 4.
    const again = await api.sync.push(phone.from(2, [...sent.slice(1), usage(batchId, 1)]));
    expect(statuses(again.results)).toEqual(["rejected", "duplicate", "applied"]);
    expect(again.results[0]).toEqual(first.results[1]);
    expect(again.results[1]).toEqual({ ...first.results[2], status: "duplicate" });
    expect(again.lastMutationId).toBe(4);
    expect(await lastMutationIdOf(phone.client.clientId)).toBe(4);
    const refusals = await world.db
      .select({ mutationId: syncRejections.mutationId, reason: syncRejections.reason })
      .from(syncRejections)
      .where(eq(syncRejections.clientId, phone.client.clientId));
    expect(refusals).toEqual([{ mutationId: 2, reason: "stock.insufficient" }]);
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 100 - 10 + 10 - 10 });
  });

  it("defers a gap with the number to send again from, applying nothing after it", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const phone = phoneClient(facility());
    await api.sync.push(phone.from(1, [usage(batchId, 1)]));
    const later = [usage(batchId, 1), usage(batchId, 1)];
    const gap = await api.sync.push(phone.from(3, later));
    expect(statuses(gap.results)).toEqual(["deferred", "deferred"]);
    expect(gap.results[0]).toMatchObject({
      reason: "sync.mutation_gap",
      params: { expectedMutationId: 2, lastMutationId: 1 },
    });
    expect(gap.lastMutationId).toBe(1);
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 90 });
    const missing = usage(batchId, 1);
    const resent = await api.sync.push(phone.from(2, [missing, ...later]));
    expect(statuses(resent.results)).toEqual(["applied", "applied", "applied"]);
    expect(await ledgerOf(batchId)).toEqual({ entries: 5, total: 60 });
  });

  it("refuses a number settled as another action, also when both race, keeping one effect", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const phone = phoneClient(facility());
    const racing = await Promise.all([
      api.sync.push(phone.from(1, [usage(batchId, 1)])),
      api.sync.push(phone.from(1, [usage(batchId, 2)])),
    ]);
    const outcomes = racing.flatMap((answer) => answer.results);
    expect(outcomes.map((result) => result.status).sort()).toEqual(["applied", "rejected"]);
    expect(outcomes.find((result) => result.status === "rejected")).toMatchObject({
      reason: "sync.mutation_id_reused",
      params: { mutationId: 1 },
    });
    // The loser's effects were written and rolled back with its number: one entry, not two.
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 100 - (outcomes[0]?.status === "applied" ? 10 : 20) });
    const reused = await api.sync.push(phone.from(1, [adjust(batchId, 10)]));
    expect(reused.results[0]).toMatchObject({ status: "rejected", reason: "sync.mutation_id_reused" });
    expect((await ledgerOf(batchId)).entries).toBe(2);
    expect(await lastMutationIdOf(phone.client.clientId)).toBe(1);
  });

  it("moves the number in the transaction of the effects: 3 sequential and 3 concurrent resends settle each once", async () => {
    const batchId = await lotAtFacility(1000);
    const api = await staff();
    const phone = phoneClient(facility());
    const batch = phone.push([usage(batchId, 1), discard(batchId, 500), adjust(batchId, 10), usage(batchId, 2)]);
    const answers = [];
    for (let round = 0; round < 3; round++) answers.push(await api.sync.push(batch));
    answers.push(...(await Promise.all([api.sync.push(batch), api.sync.push(batch), api.sync.push(batch)])));
    expect(statuses(answers[0]?.results ?? [])).toEqual(["applied", "rejected", "applied", "applied"]);
    for (const answer of answers.slice(1)) {
      expect(statuses(answer.results)).toEqual(["duplicate", "rejected", "duplicate", "duplicate"]);
      expect(answer.lastMutationId).toBe(4);
    }
    expect(await lastMutationIdOf(phone.client.clientId)).toBe(4);
    expect(await ledgerOf(batchId)).toEqual({ entries: 4, total: 1000 - 10 + 10 - 20 });
  });

  it("binds a client to the user who first pushed with it; the same user on a new device is a new client", async () => {
    const batchId = await lotAtFacility(100);
    const owner = await staff();
    const phone = phoneClient(facility());
    await owner.sync.push(phone.push([usage(batchId, 1)]));
    // Another nurse of the same facility signs in on that phone without it starting a new client.
    const colleague = await createUser(world.db, { orgUnit: world.units.facilityA1, role: "facility_staff" });
    const other = await world.callerFor(colleague.id);
    expect(await reasonOf(other.sync.push(phone.push([usage(batchId, 1)])))).toEqual({
      code: "FORBIDDEN",
      reason: "sync.client_other_user",
    });
    expect(
      await reasonOf(
        other.sync.pull({ orgUnitId: facility(), client: { clientId: phone.client.clientId, answeredThrough: 0 } }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "sync.client_other_user" });
    // After signing in, the colleague's app starts a client of its own, numbered from 1.
    const colleaguePhone = phoneClient(facility());
    const own = await other.sync.push(colleaguePhone.push([usage(batchId, 1)]));
    expect(own).toMatchObject({ lastMutationId: 1, results: [{ status: "applied" }] });
    // The owner's second device numbers its own actions from 1 too; the first device goes on at 2.
    const tablet = phoneClient(facility());
    expect((await owner.sync.push(tablet.push([usage(batchId, 1)]))).lastMutationId).toBe(1);
    expect((await owner.sync.push(phone.from(2, [usage(batchId, 1)]))).lastMutationId).toBe(2);
    expect(await ledgerOf(batchId)).toEqual({ entries: 5, total: 60 });
  });

  it("refuses another facility's user, with the facility's client or a client of their own", async () => {
    const batchId = await lotAtFacility(100);
    const phone = phoneClient(facility());
    await (await staff()).sync.push(phone.push([usage(batchId, 1)]));
    const outsider = await world.callerFor(world.people.facilityStaffB1.id);
    expect(await reasonOf(outsider.sync.push(phoneClient(facility()).push([usage(batchId, 1)])))).toEqual({
      code: "FORBIDDEN",
      reason: "scope.forbidden",
    });
    const ownFacility = { ...phone.from(2, [usage(batchId, 1)]), orgUnitId: world.units.facilityB1.id };
    expect(await reasonOf(outsider.sync.push(ownFacility))).toEqual({
      code: "FORBIDDEN",
      reason: "sync.client_other_user",
    });
    expect(await lastMutationIdOf(phone.client.clientId)).toBe(1);
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 90 });
  });

  it("tells a pull how far the client's actions were settled, with the refusals the phone has not heard", async () => {
    const batchId = await lotAtFacility(100);
    const api = await staff();
    const phone = phoneClient(facility());
    // Pushed, settled, and the answer lost in a crash.
    await api.sync.push(phone.push([usage(batchId, 1), discard(batchId, 50), adjust(batchId, 10)]));
    const pulled = await api.sync.pull({
      orgUnitId: facility(),
      client: { clientId: phone.client.clientId, answeredThrough: 0 },
    });
    expect(pulled.client).toMatchObject({
      lastMutationId: 3,
      settledThrough: 3,
      rejections: [{ mutationId: 2, reason: "stock.insufficient", params: { availableDoses: 90, neededDoses: 500 } }],
    });
    const heard = await api.sync.pull({
      orgUnitId: facility(),
      client: { clientId: phone.client.clientId, answeredThrough: 2 },
    });
    expect(heard.client).toEqual({ lastMutationId: 3, settledThrough: 3, rejections: [] });
    const unknown = await api.sync.pull({ orgUnitId: facility(), client: { clientId: newKey(), answeredThrough: 0 } });
    expect(unknown.client).toEqual({ lastMutationId: 0, settledThrough: 0, rejections: [] });
  });
});

describe("the effects' transaction hook (afterEffects)", () => {
  it("commits what it writes with the effects, and a failure in it rolls the effects back", async () => {
    const batchId = await lotAtFacility(100);
    const ctx = await stockContextFor(world, world.people.facilityStaffA1.id);
    const action = usage(batchId, 1);
    if (action.kind !== "stock.recordUsage") throw new Error("a usage");
    const failing = observeIdempotency(() => recordUsage(ctx, action.input), {
      afterEffects: async () => {
        throw new Error("the client's number moved meanwhile");
      },
    });
    await expect(failing).rejects.toThrow("moved meanwhile");
    expect(await ledgerOf(batchId)).toEqual({ entries: 1, total: 100 });
    const stored = await world.db
      .select({ key: clientMutations.idempotencyKey })
      .from(clientMutations)
      .where(eq(clientMutations.idempotencyKey, action.input.idempotencyKey));
    expect(stored).toEqual([]);

    const clientId = newKey();
    const applied = await observeIdempotency(() => recordUsage(ctx, action.input), {
      afterEffects: async (tx) => {
        await tx.insert(syncClients).values({ clientId, userId: ctx.actor.userId, platform: "web", lastMutationId: 1 });
      },
    });
    expect(applied.replayed).toBe(false);
    expect(await lastMutationIdOf(clientId)).toBe(1);
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 90 });
    // A replay applies nothing, so the hook does not run; under replayOnly an unknown key is not applied.
    const replay = await observeIdempotency(() => recordUsage(ctx, action.input), {
      afterEffects: async () => {
        throw new Error("not run for a replay");
      },
    });
    expect(replay.replayed).toBe(true);
    const unknown = usage(batchId, 1);
    if (unknown.kind !== "stock.recordUsage") throw new Error("a usage");
    await expect(observeIdempotency(() => recordUsage(ctx, unknown.input), { replayOnly: true })).rejects.toThrow(
      "no stored result",
    );
    expect(await ledgerOf(batchId)).toEqual({ entries: 2, total: 90 });
  });
});
