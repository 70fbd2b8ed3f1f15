import { setTimeout as sleep } from "node:timers/promises";
import { AppError, runIdempotent } from "@rantai/core/kernel";
import { checkLedger } from "@rantai/core/stock";
import { clientMutations, stockBalances } from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../testing";
import { createItem, newKey, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

let world: ApiTestWorld;
let item: TestItem;
beforeAll(async () => {
  world = await createApiTestWorld("stock_race");
  item = await createItem(world.db, { dosesPerVial: 10 });
});
afterAll(async () => {
  await world?.destroy();
});

function codeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === "fulfilled") return "OK";
  return result.reason instanceof TRPCError ? result.reason.code : String(result.reason);
}

describe("racing for the last doses", () => {
  it("two concurrent issues of the last 10 doses: one commits, the other gets CONFLICT (20 rounds)", async () => {
    const admin = await stockContextFor(world, world.people.nationalAdmin.id);
    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const facility = world.units.facilityA1.id;
    for (let round = 0; round < 20; round++) {
      const batchId = await receiveLot(admin, facility, item, 10);
      const use = () =>
        staff.stock.recordUsage({
          idempotencyKey: newKey(),
          orgUnitId: facility,
          lines: [{ batchId, vialsOpened: 1, dosesAdministered: 9 }],
        });
      const outcomes = (await Promise.allSettled([use(), use()])).map(codeOf).sort();
      expect(outcomes).toEqual(["CONFLICT", "OK"]);
      const [balance] = await world.db
        .select({ quantity: stockBalances.quantity })
        .from(stockBalances)
        .where(and(eq(stockBalances.orgUnitId, facility), eq(stockBalances.batchId, batchId)));
      expect(balance?.quantity).toBe(0);
    }
    expect(await checkLedger(world.db)).toMatchObject({ ok: true });
  });

  it("two shipments dispatched at once from the last 10 doses: one leaves, the other gets CONFLICT", async () => {
    const admin = await stockContextFor(world, world.people.nationalAdmin.id);
    const district = world.units.districtA.id;
    const batchId = await receiveLot(admin, district, item, 10);
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const drafts = await Promise.all(
      [world.units.facilityA1.id, world.units.facilityA2.id].map((receiverOrgUnitId) =>
        officer.distribution.createShipment({
          idempotencyKey: newKey(),
          senderOrgUnitId: district,
          receiverOrgUnitId,
          lines: [{ batchId, doses: 10 }],
        }),
      ),
    );
    const outcomes = await Promise.allSettled(
      drafts.map((draft) =>
        officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId: draft.shipmentId }),
      ),
    );
    expect(outcomes.map(codeOf).sort()).toEqual(["CONFLICT", "OK"]);
    const loser = outcomes.find((outcome) => outcome.status === "rejected");
    expect(loser?.status === "rejected" && String(loser.reason)).toContain("Only 0 doses");
    expect(await checkLedger(world.db)).toMatchObject({ ok: true });
  });
});

describe("runIdempotent", () => {
  const call = (key: string, payload: unknown) => ({
    key,
    procedure: "test.slow",
    userId: world.people.nationalAdmin.id,
    payload,
  });

  it("runs the effect once for concurrent duplicates: the others wait on the key and replay its result", async () => {
    const key = newKey();
    let runs = 0;
    const effect = async () => {
      runs++;
      await sleep(150);
      return { value: runs };
    };
    const results = await Promise.all([1, 2, 3].map(() => runIdempotent(world.db, call(key, { a: 1 }), effect)));
    expect(runs).toBe(1);
    expect(results).toEqual([{ value: 1 }, { value: 1 }, { value: 1 }]);
  });

  it("hashes the payload canonically (key order does not matter) and frees the key when the effect fails", async () => {
    const key = newKey();
    const failed = await runIdempotent(world.db, call(key, { a: 1, b: 2 }), async () => {
      throw new AppError("stock.busy", "not now");
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(AppError);
    expect(await world.db.select().from(clientMutations).where(eq(clientMutations.idempotencyKey, key))).toEqual([]);

    const first = await runIdempotent(world.db, call(key, { a: 1, b: 2 }), async () => ({ ok: true, at: "x" }));
    const replay = await runIdempotent(world.db, call(key, { b: 2, a: 1 }), async () => ({ ok: false, at: "y" }));
    expect(replay).toEqual(first);
  });
});
