import { AppError, type DomainContext } from "@rantai/core/kernel";
import { checkLedger, recordUsage } from "@rantai/core/stock";
import {
  notificationOutbox,
  shipmentReceiptLines,
  shipments,
  stockBalances,
  stockLedger,
  stockRequests,
  supplyLinks,
} from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createItem,
  dateInDays,
  newKey,
  prepareShipment,
  receiveLot,
  stockContextFor,
  type TestItem,
} from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld } from "../testing";

let world: ApiTestWorld;
let item: TestItem;
let admin: DomainContext;
const lots = { early: 0, late: 0, other: 0 };
const DAY = 86_400_000;

beforeAll(async () => {
  world = await createApiTestWorld("shipments");
  item = await createItem(world.db, { dosesPerVial: 10 });
  admin = await stockContextFor(world, world.people.nationalAdmin.id);
  const district = world.units.districtA.id;
  lots.late = await receiveLot(admin, district, item, 1000, { lotNumber: "LATE", expiryDate: dateInDays(300) });
  lots.early = await receiveLot(admin, district, item, 1000, {
    lotNumber: "EARLY-VVM2",
    expiryDate: dateInDays(100),
    vvmStage: 2,
  });
  lots.other = await receiveLot(admin, district, item, 100, { lotNumber: "OTHER", expiryDate: dateInDays(200) });
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

async function balance(orgUnitId: number, batchId: number): Promise<number> {
  const [row] = await world.db
    .select({ quantity: stockBalances.quantity })
    .from(stockBalances)
    .where(and(eq(stockBalances.orgUnitId, orgUnitId), eq(stockBalances.batchId, batchId)));
  return row?.quantity ?? 0;
}

describe("pull distribution: request → approval → shipment → dispatch → receipt", () => {
  it("runs end to end, with short, damaged and wrong-lot discrepancies", async () => {
    const facility = world.units.facilityA1.id;
    const district = world.units.districtA.id;
    // History: 300 doses received 60 days ago, 250 used 30 days ago → SOH 50, AMC 125 (60-day window).
    const own = await receiveLot(admin, facility, item, 300, { occurredAt: new Date(Date.now() - 60 * DAY) });
    await recordUsage(admin, {
      idempotencyKey: newKey(),
      orgUnitId: facility,
      occurredAt: new Date(Date.now() - 30 * DAY),
      lines: [{ batchId: own, vialsOpened: 25, dosesAdministered: 240 }],
    });

    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const request = await staff.distribution.createRequest({ idempotencyKey: newKey(), requesterOrgUnitId: facility });
    // MOS = 50 / 125 = 0.4 ≤ 1 → suggested = 2 × 125 − 50 = 200.
    expect(request.lines).toEqual([
      { itemId: item.id, stockOnHand: 50, averageMonthlyConsumption: 125, suggestedDoses: 200, requestedDoses: 200 },
    ]);
    expect(request.supplierOrgUnitId).toBe(district);

    const notMine = await caughtError(
      staff.distribution.approveRequest({ idempotencyKey: newKey(), requestId: request.requestId }),
    );
    expect(notMine.code).toBe("FORBIDDEN");

    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const approved = await officer.distribution.approveRequest({
      idempotencyKey: newKey(),
      requestId: request.requestId,
      lines: [{ itemId: item.id, approvedDoses: 150 }],
    });
    expect(approved.lines).toEqual([{ itemId: item.id, requestedDoses: 200, approvedDoses: 150 }]);

    const proposal = await officer.distribution.proposeAllocation({
      senderOrgUnitId: district,
      lines: [{ itemId: item.id, doses: 150 }],
    });
    expect(proposal.lines.map((line) => [line.batchId, line.doses])).toEqual([[lots.early, 150]]);

    const draft = await officer.distribution.createShipment({
      idempotencyKey: newKey(),
      senderOrgUnitId: district,
      receiverOrgUnitId: facility,
      requestId: request.requestId,
      lines: [
        { batchId: lots.early, doses: 100 },
        { batchId: lots.late, doses: 50 },
      ],
    });
    expect(draft).toMatchObject({ kind: "transfer", status: "draft" });
    expect(await balance(district, lots.early)).toBe(1000);

    await officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId: draft.shipmentId });
    expect(await balance(district, lots.early)).toBe(900);
    expect(await balance(district, lots.late)).toBe(950);
    const [fulfilled] = await world.db.select().from(stockRequests).where(eq(stockRequests.id, request.requestId));
    expect(fulfilled?.status).toBe("fulfilled");
    const [notice] = await world.db
      .select({ n: count() })
      .from(notificationOutbox)
      .where(eq(notificationOutbox.eventKey, `shipment:${draft.shipmentId}:dispatched`));
    expect(notice?.n).toBe(1);

    // In transit: both sides see it.
    const outgoing = await officer.distribution.listShipments({ direction: "outgoing", status: "dispatched" });
    const incoming = await staff.distribution.listShipments({ direction: "incoming", status: "dispatched" });
    expect(outgoing.items.map((s) => s.id)).toContain(draft.shipmentId);
    expect(incoming.items.map((s) => s.id)).toContain(draft.shipmentId);
    const neighbour = await world.callerFor(world.people.facilityStaffB1.id);
    expect((await caughtError(neighbour.distribution.getShipment({ shipmentId: draft.shipmentId }))).code).toBe(
      "FORBIDDEN",
    );

    const [earlyLine, lateLine] = draft.lines;
    const received = await staff.distribution.receiveShipment({
      idempotencyKey: newKey(),
      shipmentId: draft.shipmentId,
      lines: [
        { shipmentLineId: earlyLine?.shipmentLineId ?? 0, receivedDoses: 80, damagedDoses: 10, damageReason: "frozen" },
        { shipmentLineId: lateLine?.shipmentLineId ?? 0, receivedDoses: 50, receivedBatchId: lots.other },
      ],
    });
    expect(received.lines).toEqual([
      expect.objectContaining({ batchId: lots.early, receivedDoses: 80, damagedDoses: 10, shortDoses: 10 }),
      expect.objectContaining({ batchId: lots.other, receivedDoses: 50, damagedDoses: 0, shortDoses: 0 }),
    ]);
    expect(await balance(facility, lots.early)).toBe(80);
    expect(await balance(facility, lots.other)).toBe(50);
    const atFacility = await world.db
      .select({ type: stockLedger.movementType, quantity: stockLedger.quantity, reason: stockLedger.reason })
      .from(stockLedger)
      .where(and(eq(stockLedger.shipmentId, draft.shipmentId), eq(stockLedger.orgUnitId, facility)))
      .orderBy(stockLedger.id);
    expect(atFacility).toEqual([
      { type: "transfer_in", quantity: 90, reason: null },
      { type: "discard", quantity: -10, reason: "frozen" },
      { type: "transfer_in", quantity: 50, reason: null },
    ]);
    const rows = await world.db
      .select({ discrepancy: shipmentReceiptLines.discrepancy, quantity: shipmentReceiptLines.discrepancyQuantity })
      .from(shipmentReceiptLines)
      .where(eq(shipmentReceiptLines.receiptId, received.receiptId));
    expect(rows).toEqual([
      { discrepancy: "none", quantity: 0 },
      { discrepancy: "damaged", quantity: 10 },
      { discrepancy: "short", quantity: 10 },
      { discrepancy: "wrong_batch", quantity: 50 },
    ]);

    const twice = await caughtError(
      staff.distribution.receiveShipment({ idempotencyKey: newKey(), shipmentId: draft.shipmentId }),
    );
    expect(twice.code).toBe("CONFLICT");
    expect(await checkLedger(world.db)).toMatchObject({ ok: true });
  });

  it("rejects a request with a reason, and decides a request only once", async () => {
    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const request = await staff.distribution.createRequest({
      idempotencyKey: newKey(),
      requesterOrgUnitId: world.units.facilityA1.id,
      lines: [{ itemId: item.id, requestedDoses: 40 }],
    });
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const rejected = await officer.distribution.rejectRequest({
      idempotencyKey: newKey(),
      requestId: request.requestId,
      reason: "Stock arrives next week",
    });
    expect(rejected).toEqual({ requestId: request.requestId, status: "rejected", reason: "Stock arrives next week" });
    const late = await caughtError(
      officer.distribution.approveRequest({ idempotencyKey: newKey(), requestId: request.requestId }),
    );
    expect(late.code).toBe("CONFLICT");
    const detail = await staff.distribution.getRequest({ requestId: request.requestId });
    expect(detail).toMatchObject({ status: "rejected", rejectionReason: "Stock arrives next week" });
  });
});

describe("supply links, returns and push allocation", () => {
  it("ships only along supply links", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const sibling = await caughtError(
      officer.distribution.createShipment({
        idempotencyKey: newKey(),
        senderOrgUnitId: world.units.districtA.id,
        receiverOrgUnitId: world.units.districtB.id,
        lines: [{ batchId: lots.late, doses: 10 }],
      }),
    );
    expect(sibling.code).toBe("FORBIDDEN");
    const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
    await receiveLot(ctx, world.units.facilityA1.id, item, 10);
    const lateral = await caughtError(
      officer.distribution.createShipment({
        idempotencyKey: newKey(),
        senderOrgUnitId: world.units.facilityA1.id,
        receiverOrgUnitId: world.units.facilityA2.id,
        lines: [{ batchId: lots.early, doses: 10 }],
      }),
    );
    expect(lateral.code).toBe("UNPROCESSABLE_CONTENT");
    expect(lateral.message).toContain("no supply link");

    await world.db
      .insert(supplyLinks)
      .values({ supplierOrgUnitId: world.units.districtA.id, receiverOrgUnitId: world.units.facilityB1.id });
    const linked = await officer.distribution.createShipment({
      idempotencyKey: newKey(),
      senderOrgUnitId: world.units.districtA.id,
      receiverOrgUnitId: world.units.facilityB1.id,
      lines: [{ batchId: lots.late, doses: 10 }],
    });
    expect(linked.kind).toBe("transfer");
    const receiver = await world.callerFor(world.people.facilityStaffB1.id);
    await expect(receiver.distribution.getShipment({ shipmentId: linked.shipmentId })).resolves.toMatchObject({
      status: "draft",
    });
  });

  it("returns stock up the link (expired stock included), but never transfers an expired lot down", async () => {
    const facility = world.units.facilityA2;
    const expired = await receiveLot(admin, facility.id, item, 30, { expiryDate: dateInDays(-2) });
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const returned = await officer.distribution.createShipment({
      idempotencyKey: newKey(),
      senderOrgUnitId: facility.id,
      receiverOrgUnitId: world.units.districtA.id,
      lines: [{ batchId: expired, doses: 30 }],
    });
    expect(returned.kind).toBe("return");
    await officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId: returned.shipmentId });
    await officer.distribution.receiveShipment({ idempotencyKey: newKey(), shipmentId: returned.shipmentId });
    const types = await world.db
      .select({ type: stockLedger.movementType })
      .from(stockLedger)
      .where(eq(stockLedger.shipmentId, returned.shipmentId))
      .orderBy(stockLedger.id);
    expect(types.map((row) => row.type)).toEqual(["return_out", "return_in"]);
    expect(await balance(world.units.districtA.id, expired)).toBe(30);

    const down = await caughtError(
      officer.distribution.createShipment({
        idempotencyKey: newKey(),
        senderOrgUnitId: world.units.districtA.id,
        receiverOrgUnitId: facility.id,
        lines: [{ batchId: expired, doses: 30 }],
      }),
    );
    expect(down.code).toBe("UNPROCESSABLE_CONTENT");
    expect(down.message).toContain("expired");
  });

  it("allocates to many facilities at once, all or nothing", async () => {
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const before = await world.db.select({ n: count() }).from(shipments);
    const tooMuch = await caughtError(
      officer.distribution.allocate({
        idempotencyKey: newKey(),
        senderOrgUnitId: world.units.districtA.id,
        shipments: [
          { receiverOrgUnitId: world.units.facilityA1.id, lines: [{ batchId: lots.other, doses: 100 }] },
          { receiverOrgUnitId: world.units.facilityA2.id, lines: [{ batchId: lots.other, doses: 100 }] },
        ],
      }),
    );
    expect(tooMuch.code).toBe("CONFLICT");
    expect(await world.db.select({ n: count() }).from(shipments)).toEqual(before);

    // The first receiver takes all but 20 doses of the VVM-stage-2 lot; the second gets those 20, then the next lot.
    const early = await balance(world.units.districtA.id, lots.early);
    const proposal = await officer.distribution.proposePushAllocation({
      senderOrgUnitId: world.units.districtA.id,
      shipments: [
        { receiverOrgUnitId: world.units.facilityA1.id, lines: [{ itemId: item.id, doses: early - 20 }] },
        { receiverOrgUnitId: world.units.facilityA2.id, lines: [{ itemId: item.id, doses: 40 }] },
      ],
    });
    expect(proposal.shipments[0]?.lines.map((line) => [line.batchId, line.doses])).toEqual([[lots.early, early - 20]]);
    const second = proposal.shipments[1]?.lines ?? [];
    expect(second[0]).toMatchObject({ batchId: lots.early, doses: 20 });
    expect(second.reduce((sum, line) => sum + line.doses, 0)).toBe(40);
    expect(second[1]?.batchId).not.toBe(lots.early);

    const pushed = await officer.distribution.allocate({
      idempotencyKey: newKey(),
      senderOrgUnitId: world.units.districtA.id,
      shipments: [
        { receiverOrgUnitId: world.units.facilityA1.id, lines: [{ batchId: lots.late, doses: 60 }] },
        { receiverOrgUnitId: world.units.facilityA2.id, lines: [{ batchId: lots.late, doses: 40 }] },
      ],
    });
    expect(pushed.shipments.map((s) => [s.receiverOrgUnitId, s.status, s.doses])).toEqual([
      [world.units.facilityA1.id, "draft", 60],
      [world.units.facilityA2.id, "draft", 40],
    ]);
  });

  it("edits a draft's lines, dispatches what was edited, and refuses to edit once dispatched", async () => {
    const draft = await prepareShipment(world, item, world.units.districtA, "draft");
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const district = world.units.districtA.id;
    const lateBefore = await balance(district, lots.late);
    const edit = {
      idempotencyKey: newKey(),
      shipmentId: draft.shipmentId,
      lines: [{ batchId: lots.late, doses: 30 }],
    };
    const edited = await officer.distribution.editDraftShipment(edit);
    expect(edited.lines.map((line) => [line.batchId, line.doses])).toEqual([[lots.late, 30]]);
    // A repeated click replays the first answer instead of editing twice.
    await expect(officer.distribution.editDraftShipment(edit)).resolves.toEqual(edited);
    const detail = await officer.distribution.getShipment({ shipmentId: draft.shipmentId });
    expect(detail.lines.map((line) => [line.batchId, line.doses])).toEqual([[lots.late, 30]]);

    const tooMuch = await caughtError(
      officer.distribution.editDraftShipment({
        idempotencyKey: newKey(),
        shipmentId: draft.shipmentId,
        lines: [{ batchId: lots.other, doses: 1_000 }],
      }),
    );
    expect(tooMuch.cause instanceof AppError && tooMuch.cause.reason).toBe("stock.insufficient");

    await officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId: draft.shipmentId });
    expect(await balance(district, lots.late)).toBe(lateBefore - 30);
    expect(await balance(district, draft.batchId)).toBe(item.dosesPerVial * 2);
    const late = await caughtError(
      officer.distribution.editDraftShipment({
        idempotencyKey: newKey(),
        shipmentId: draft.shipmentId,
        lines: [{ batchId: lots.late, doses: 10 }],
      }),
    );
    expect(late.code).toBe("CONFLICT");
    expect(late.cause instanceof AppError && late.cause.reason).toBe("distribution.shipment_status");
  });

  it("cancels a draft but not a dispatched shipment", async () => {
    const draft = await prepareShipment(world, item, world.units.districtA, "draft");
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    await expect(
      officer.distribution.cancelShipment({ idempotencyKey: newKey(), shipmentId: draft.shipmentId, reason: "Typo" }),
    ).resolves.toMatchObject({ status: "cancelled" });
    const sent = await prepareShipment(world, item, world.units.districtA, "dispatched");
    const error = await caughtError(
      officer.distribution.cancelShipment({ idempotencyKey: newKey(), shipmentId: sent.shipmentId, reason: "Late" }),
    );
    expect(error.code).toBe("CONFLICT");
  });
});

describe("racing on one shipment", () => {
  it("dispatches once and receives once when two requests race", async () => {
    const { shipmentId } = await prepareShipment(world, item, world.units.districtB, "draft");
    const officer = await world.callerFor(world.people.districtOfficerB.id);
    const dispatches = await Promise.allSettled([
      officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId }),
      officer.distribution.dispatchShipment({ idempotencyKey: newKey(), shipmentId }),
    ]);
    expect(dispatches.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = dispatches.find((r) => r.status === "rejected");
    expect(lost?.status === "rejected" && lost.reason instanceof TRPCError && lost.reason.code).toBe("CONFLICT");

    const staff = await world.callerFor(world.people.facilityStaffB1.id);
    const receipts = await Promise.allSettled([
      staff.distribution.receiveShipment({ idempotencyKey: newKey(), shipmentId }),
      staff.distribution.receiveShipment({ idempotencyKey: newKey(), shipmentId }),
    ]);
    expect(receipts.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const entries = await world.db
      .select({ n: count() })
      .from(stockLedger)
      .where(eq(stockLedger.shipmentId, shipmentId));
    expect(entries[0]?.n).toBe(2);
    expect(await checkLedger(world.db)).toMatchObject({ ok: true });
  });
});
