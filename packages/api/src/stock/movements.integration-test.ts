import { forbiddenMessage } from "@rantai/core/kernel";
import { checkLedger } from "@rantai/core/stock";
import { auditLog, changeOutbox, stockBalances, stockLedger } from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, shapeSentFor } from "../testing";
import { createItem, dateInDays, newKey, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

let world: ApiTestWorld;
let item: TestItem;
beforeAll(async () => {
  world = await createApiTestWorld("stock_moves");
  item = await createItem(world.db, { dosesPerVial: 10 });
});
afterAll(async () => {
  await world?.destroy();
});

async function caughtError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

async function balanceOf(orgUnitId: number, batchId: number) {
  const [row] = await world.db
    .select({ quantity: stockBalances.quantity, vvmStage: stockBalances.vvmStage })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, orgUnitId), eq(stockBalances.batchId, batchId)));
  return row;
}

describe("stock movements through the API", () => {
  it("receives a new lot from outside: lot, balance, ledger, audit and change feed in one go", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const key = newKey();
    const result = await caller.stock.recordReceipt({
      idempotencyKey: key,
      orgUnitId: world.units.districtA.id,
      supplierName: "UNICEF SD",
      reference: "PO-2025-17",
      lines: [
        {
          itemId: item.id,
          lotNumber: "RCPT-1",
          expiryDate: dateInDays(300),
          manufacturer: "Bio Farma",
          doses: 500,
          vvmStage: 2,
        },
      ],
    });
    const [entry] = result.entries;
    expect(entry).toMatchObject({ movementType: "receipt", quantity: 500, balanceAfter: 500 });
    expect(await balanceOf(world.units.districtA.id, entry?.batchId ?? 0)).toEqual({ quantity: 500, vvmStage: 2 });
    const [audit] = await world.db.select({ n: count() }).from(auditLog).where(eq(auditLog.entityId, key));
    expect(audit?.n).toBe(1);
    const [feed] = await world.db
      .select({ n: count() })
      .from(changeOutbox)
      .where(and(eq(changeOutbox.entityType, "stock_ledger_entry"), eq(changeOutbox.entityId, String(entry?.id))));
    expect(feed?.n).toBe(1);
  });

  it("refuses a lot number already recorded with another expiry date", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const line = { itemId: item.id, lotNumber: "RCPT-1", expiryDate: dateInDays(200), manufacturer: "Bio Farma" };
    const error = await caughtError(
      caller.stock.recordReceipt({
        idempotencyKey: newKey(),
        orgUnitId: world.units.districtA.id,
        supplierName: "UNICEF SD",
        lines: [{ ...line, doses: 10, vvmStage: 1 }],
      }),
    );
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
    expect(error.message).toContain("already recorded with expiry");
  });

  it("records usage in whole vials with doses given, and refuses more doses given than opened", async () => {
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    const batchId = await receiveLot(ctx, world.units.facilityA1.id, item, 100);
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const used = await caller.stock.recordUsage({
      idempotencyKey: newKey(),
      orgUnitId: world.units.facilityA1.id,
      lines: [{ batchId, vialsOpened: 3, dosesAdministered: 26 }],
    });
    expect(used.entries[0]).toMatchObject({ movementType: "usage", quantity: -30, balanceAfter: 70 });
    const [row] = await world.db
      .select()
      .from(stockLedger)
      .where(eq(stockLedger.id, used.entries[0]?.id ?? 0));
    expect(row?.dosesAdministered).toBe(26);

    const error = await caughtError(
      caller.stock.recordUsage({
        idempotencyKey: newKey(),
        orgUnitId: world.units.facilityA1.id,
        lines: [{ batchId, vialsOpened: 1, dosesAdministered: 11 }],
      }),
    );
    expect(error.code).toBe("UNPROCESSABLE_CONTENT");
    expect((await balanceOf(world.units.facilityA1.id, batchId))?.quantity).toBe(70);
  });

  it("refuses to take more than the balance, saying how much is available", async () => {
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    const batchId = await receiveLot(ctx, world.units.facilityA1.id, item, 40, { lotNumber: "SHORT-1" });
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const error = await caughtError(
      caller.stock.recordDiscard({
        idempotencyKey: newKey(),
        orgUnitId: world.units.facilityA1.id,
        lines: [{ batchId, vials: 5, reason: "broken" }],
      }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("Only 40 doses of lot SHORT-1");
    expect(shapeSentFor(error).data.reason).toBe("stock.insufficient");
    expect((await balanceOf(world.units.facilityA1.id, batchId))?.quantity).toBe(40);
  });

  it("refuses to use an expired or VVM stage-3 lot, but discards it", async () => {
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    const expired = await receiveLot(ctx, world.units.facilityA1.id, item, 50, { expiryDate: dateInDays(-1) });
    const cooked = await receiveLot(ctx, world.units.facilityA1.id, item, 50, { vvmStage: 3 });
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    for (const [batchId, words] of [
      [expired, "expired on"],
      [cooked, "VVM stage 3"],
    ] as const) {
      const error = await caughtError(
        caller.stock.recordUsage({
          idempotencyKey: newKey(),
          orgUnitId: world.units.facilityA1.id,
          lines: [{ batchId, vialsOpened: 1, dosesAdministered: 5 }],
        }),
      );
      expect(error.code).toBe("UNPROCESSABLE_CONTENT");
      expect(error.message).toContain(words);
    }
    const discarded = await caller.stock.recordDiscard({
      idempotencyKey: newKey(),
      orgUnitId: world.units.facilityA1.id,
      lines: [
        { batchId: expired, vials: 5, reason: "expired" },
        { batchId: cooked, vials: 5, reason: "vvm_discard_point" },
      ],
    });
    expect(discarded.entries.map((entry) => entry.balanceAfter)).toEqual([0, 0]);
  });

  it("adjusts with a reason, counts (posting the difference) and reverses an entry once", async () => {
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    const batchId = await receiveLot(ctx, world.units.facilityA2.id, item, 100);
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const orgUnitId = world.units.facilityA2.id;
    const found = await caller.stock.recordAdjustment({
      idempotencyKey: newKey(),
      orgUnitId,
      batchId,
      doses: 20,
      reason: "found",
      note: "Box found behind the cold box",
    });
    expect(found.entries[0]?.balanceAfter).toBe(120);
    const wrongSign = await caughtError(
      caller.stock.recordAdjustment({
        idempotencyKey: newKey(),
        orgUnitId,
        batchId,
        doses: -10,
        reason: "found",
        note: "x",
      }),
    );
    expect(wrongSign.code).toBe("UNPROCESSABLE_CONTENT");

    const counted = await caller.stock.recordStockCount({
      idempotencyKey: newKey(),
      orgUnitId,
      lines: [{ batchId, countedDoses: 90, vvmStage: 2 }],
    });
    expect(counted.lines).toEqual([
      { batchId, previousDoses: 120, countedDoses: 90, differenceDoses: -30, entryId: counted.entries[0]?.id },
    ]);
    expect(await balanceOf(orgUnitId, batchId)).toEqual({ quantity: 90, vvmStage: 2 });
    const same = await caller.stock.recordStockCount({
      idempotencyKey: newKey(),
      orgUnitId,
      lines: [{ batchId, countedDoses: 90 }],
    });
    expect(same.entries[0]).toMatchObject({ movementType: "count", quantity: 0, balanceAfter: 90 });

    const reversal = await caller.stock.reverseEntry({
      idempotencyKey: newKey(),
      entryId: found.entries[0]?.id ?? 0,
      reason: "duplicate_entry",
      note: "The box was already counted",
    });
    expect(reversal.entries[0]).toMatchObject({ movementType: "reversal", quantity: -20, balanceAfter: 70 });
    const again = await caughtError(
      caller.stock.reverseEntry({
        idempotencyKey: newKey(),
        entryId: found.entries[0]?.id ?? 0,
        reason: "other",
        note: "x",
      }),
    );
    expect(again.code).toBe("CONFLICT");
    const ofReversal = await caughtError(
      caller.stock.reverseEntry({
        idempotencyKey: newKey(),
        entryId: reversal.entries[0]?.id ?? 0,
        reason: "other",
        note: "x",
      }),
    );
    expect(ofReversal.code).toBe("UNPROCESSABLE_CONTENT");
    const [original] = await world.db
      .select()
      .from(stockLedger)
      .where(eq(stockLedger.id, found.entries[0]?.id ?? 0));
    expect(original?.quantity).toBe(20);
  });

  it("refuses another facility's lot (FORBIDDEN, audited, ledger unchanged) and viewers' changes", async () => {
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    const theirs = await receiveLot(ctx, world.units.facilityB1.id, item, 50);
    const staffA1 = await world.callerFor(world.people.facilityStaffA1.id);
    const ledgerBefore = await world.db.select({ n: count() }).from(stockLedger);
    const error = await caughtError(
      staffA1.stock.recordUsage({
        idempotencyKey: newKey(),
        orgUnitId: world.units.facilityA1.id,
        lines: [{ batchId: theirs, vialsOpened: 1, dosesAdministered: 10 }],
      }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(forbiddenMessage);
    expect(shapeSentFor(error).data.reason).toBe("scope.forbidden");
    const [denied] = await world.db
      .select({ n: count() })
      .from(auditLog)
      .where(
        and(eq(auditLog.entityType, "batch"), eq(auditLog.entityId, String(theirs)), eq(auditLog.outcome, "denied")),
      );
    expect(denied?.n).toBe(1);
    expect(await world.db.select({ n: count() }).from(stockLedger)).toEqual(ledgerBefore);

    const viewer = await world.callerFor(world.people.viewerA.id);
    const refused = await caughtError(
      viewer.stock.recordAdjustment({
        idempotencyKey: newKey(),
        orgUnitId: world.units.districtA.id,
        batchId: theirs,
        doses: 10,
        reason: "found",
        note: "x",
      }),
    );
    expect(refused.code).toBe("FORBIDDEN");
  });

  it("refuses unknown or privileged fields", async () => {
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const input = { idempotencyKey: newKey(), orgUnitId: world.units.facilityA1.id, lines: [], quantityOnHand: 5 };
    const error = await caughtError(caller.stock.recordUsage(input as never));
    expect(error.code).toBe("BAD_REQUEST");
    const list = await caughtError(caller.stock.listBalances({ limit: 101 }));
    expect(list.code).toBe("BAD_REQUEST");
  });

  it("lists balances and the stock card of a store in scope, with usability spelled out", async () => {
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    const balances = await caller.stock.listBalances({ includeEmpty: true, limit: 100 });
    expect(balances.items.length).toBeGreaterThan(0);
    expect(balances.items.some((lot) => !lot.usable && lot.unusableReason?.includes("expired"))).toBe(true);
    const card = await caller.stock.listLedger({ limit: 3 });
    expect(card.items).toHaveLength(3);
    expect(card.nextCursor).not.toBeNull();
    const next = await caller.stock.listLedger({ limit: 3, cursor: card.nextCursor ?? undefined });
    expect(next.items[0]?.id).toBeLessThan(card.items[2]?.id ?? 0);
  });

  it("checkLedger agrees with every balance, and finds a tampered one", async () => {
    expect(await checkLedger(world.db)).toMatchObject({ ok: true, mismatches: [], chainBreaks: [] });
    const [lot] = await world.db.select().from(stockBalances).where(sql`${stockBalances.quantity} > 0`).limit(1);
    if (!lot) throw new Error("the tests above left stock");
    await world.db
      .update(stockBalances)
      .set({ quantity: lot.quantity + 10 })
      .where(and(eq(stockBalances.orgUnitId, lot.orgUnitId), eq(stockBalances.batchId, lot.batchId)));
    const report = await checkLedger(world.db);
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual([
      { orgUnitId: lot.orgUnitId, batchId: lot.batchId, balance: lot.quantity + 10, ledgerSum: lot.quantity },
    ]);
    await world.db
      .update(stockBalances)
      .set({ quantity: lot.quantity })
      .where(and(eq(stockBalances.orgUnitId, lot.orgUnitId), eq(stockBalances.batchId, lot.batchId)));
  });
});
