import {
  auditLog,
  changeOutbox,
  clientMutations,
  shipmentReceipts,
  shipments,
  stockLedger,
  stockRequests,
} from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, shapeSentFor } from "../testing";
import { createItem, newKey, prepareShipment, receiveLot, stockContextFor, type TestItem } from "./test-fixtures";

/**
 * Every mutation of the stock and distribution contexts, replayed 3 times one after another and
 * sent 3 times at once with one key, is applied exactly once and always answers the same; the
 * same key with another payload is refused (UNPROCESSABLE).
 */
let world: ApiTestWorld;
let item: TestItem;
beforeAll(async () => {
  world = await createApiTestWorld("idempotency");
  item = await createItem(world.db, { dosesPerVial: 10 });
});
afterAll(async () => {
  await world?.destroy();
});

type Send = (key: string) => Promise<unknown>;
interface Prepared {
  send: Send;
  /** The same procedure with a different payload. */
  sendOther: Send;
}

async function caller(userId: number) {
  return world.callerFor(userId);
}
const district = () => world.units.districtA.id;
const facility = () => world.units.facilityA1.id;
const people = () => world.people;

async function lotAt(orgUnitId: number, doses = 100) {
  return receiveLot(await stockContextFor(world, people().nationalAdmin.id), orgUnitId, item, doses);
}

async function submittedRequest() {
  const staff = await caller(people().facilityStaffA1.id);
  return staff.distribution.createRequest({
    idempotencyKey: newKey(),
    requesterOrgUnitId: facility(),
    lines: [{ itemId: item.id, requestedDoses: 30 }],
  });
}

const scenarios: Record<string, () => Promise<Prepared>> = {
  "stock.recordReceipt": async () => {
    const officer = await caller(people().districtOfficerA.id);
    const lotNumber = `IDEM-${newKey().slice(0, 8)}`;
    const receipt = (doses: number) => (key: string) =>
      officer.stock.recordReceipt({
        idempotencyKey: key,
        orgUnitId: district(),
        supplierName: "UNICEF SD",
        lines: [
          { itemId: item.id, lotNumber, expiryDate: "2030-01-31", manufacturer: "Bio Farma", doses, vvmStage: 1 },
        ],
      });
    return { send: receipt(100), sendOther: receipt(200) };
  },
  "stock.recordUsage": async () => {
    const batchId = await lotAt(facility());
    const staff = await caller(people().facilityStaffA1.id);
    const usage = (vialsOpened: number) => (key: string) =>
      staff.stock.recordUsage({
        idempotencyKey: key,
        orgUnitId: facility(),
        lines: [{ batchId, vialsOpened, dosesAdministered: 8 }],
      });
    return { send: usage(1), sendOther: usage(2) };
  },
  "stock.recordDiscard": async () => {
    const batchId = await lotAt(facility());
    const staff = await caller(people().facilityStaffA1.id);
    const discard = (reason: "broken" | "frozen") => (key: string) =>
      staff.stock.recordDiscard({ idempotencyKey: key, orgUnitId: facility(), lines: [{ batchId, vials: 1, reason }] });
    return { send: discard("broken"), sendOther: discard("frozen") };
  },
  "stock.recordAdjustment": async () => {
    const batchId = await lotAt(facility());
    const staff = await caller(people().facilityStaffA1.id);
    const adjust = (doses: number) => (key: string) =>
      staff.stock.recordAdjustment({
        idempotencyKey: key,
        orgUnitId: facility(),
        batchId,
        doses,
        reason: "found",
        note: "Found in the cold box",
      });
    return { send: adjust(10), sendOther: adjust(20) };
  },
  "stock.recordStockCount": async () => {
    const batchId = await lotAt(facility());
    const staff = await caller(people().facilityStaffA1.id);
    const countTo = (countedDoses: number) => (key: string) =>
      staff.stock.recordStockCount({ idempotencyKey: key, orgUnitId: facility(), lines: [{ batchId, countedDoses }] });
    return { send: countTo(50), sendOther: countTo(60) };
  },
  "stock.reverseEntry": async () => {
    const batchId = await lotAt(facility());
    const staff = await caller(people().facilityStaffA1.id);
    const adjusted = await staff.stock.recordAdjustment({
      idempotencyKey: newKey(),
      orgUnitId: facility(),
      batchId,
      doses: 10,
      reason: "found",
      note: "Miscounted",
    });
    const entryId = adjusted.entries[0]?.id ?? 0;
    const reverse = (note: string) => (key: string) =>
      staff.stock.reverseEntry({ idempotencyKey: key, entryId, reason: "data_entry_error", note });
    return { send: reverse("Entered twice"), sendOther: reverse("Something else") };
  },
  "distribution.createRequest": async () => {
    const staff = await caller(people().facilityStaffA1.id);
    const request = (requestedDoses: number) => (key: string) =>
      staff.distribution.createRequest({
        idempotencyKey: key,
        requesterOrgUnitId: facility(),
        lines: [{ itemId: item.id, requestedDoses }],
      });
    return { send: request(10), sendOther: request(20) };
  },
  "distribution.approveRequest": async () => {
    const { requestId } = await submittedRequest();
    const officer = await caller(people().districtOfficerA.id);
    const approve = (approvedDoses: number) => (key: string) =>
      officer.distribution.approveRequest({
        idempotencyKey: key,
        requestId,
        lines: [{ itemId: item.id, approvedDoses }],
      });
    return { send: approve(30), sendOther: approve(0) };
  },
  "distribution.rejectRequest": async () => {
    const { requestId } = await submittedRequest();
    const officer = await caller(people().districtOfficerA.id);
    const reject = (reason: string) => (key: string) =>
      officer.distribution.rejectRequest({ idempotencyKey: key, requestId, reason });
    return { send: reject("No stock this month"), sendOther: reject("Ask the province") };
  },
  "distribution.createShipment": async () => {
    const batchId = await lotAt(district());
    const officer = await caller(people().districtOfficerA.id);
    const ship = (doses: number) => (key: string) =>
      officer.distribution.createShipment({
        idempotencyKey: key,
        senderOrgUnitId: district(),
        receiverOrgUnitId: facility(),
        lines: [{ batchId, doses }],
      });
    return { send: ship(10), sendOther: ship(20) };
  },
  "distribution.allocate": async () => {
    const batchId = await lotAt(district());
    const officer = await caller(people().districtOfficerA.id);
    const push = (doses: number) => (key: string) =>
      officer.distribution.allocate({
        idempotencyKey: key,
        senderOrgUnitId: district(),
        shipments: [
          { receiverOrgUnitId: facility(), lines: [{ batchId, doses }] },
          { receiverOrgUnitId: world.units.facilityA2.id, lines: [{ batchId, doses: 10 }] },
        ],
      });
    return { send: push(10), sendOther: push(20) };
  },
  "distribution.dispatchShipment": async () => {
    const first = await prepareShipment(world, item, world.units.districtA, "draft");
    const second = await prepareShipment(world, item, world.units.districtA, "draft");
    const officer = await caller(people().districtOfficerA.id);
    const dispatch = (shipmentId: number) => (key: string) =>
      officer.distribution.dispatchShipment({ idempotencyKey: key, shipmentId });
    return { send: dispatch(first.shipmentId), sendOther: dispatch(second.shipmentId) };
  },
  "distribution.receiveShipment": async () => {
    const sent = await prepareShipment(world, item, world.units.districtA, "dispatched");
    const staff = await caller(people().facilityStaffA1.id);
    const receive = (receivedDoses: number | null) => (key: string) =>
      staff.distribution.receiveShipment({
        idempotencyKey: key,
        shipmentId: sent.shipmentId,
        lines: receivedDoses === null ? undefined : [{ shipmentLineId: sent.lineId, receivedDoses }],
      });
    return { send: receive(null), sendOther: receive(0) };
  },
  "distribution.cancelShipment": async () => {
    const draft = await prepareShipment(world, item, world.units.districtA, "draft");
    const officer = await caller(people().districtOfficerA.id);
    const cancel = (reason: string) => (key: string) =>
      officer.distribution.cancelShipment({ idempotencyKey: key, shipmentId: draft.shipmentId, reason });
    return { send: cancel("Entered twice"), sendOther: cancel("Wrong facility") };
  },
};

/** Rows every applied mutation adds somewhere: an application shows up as a change here. */
async function effects() {
  const tables = [stockLedger, shipments, stockRequests, shipmentReceipts, changeOutbox, clientMutations] as const;
  const counts = await Promise.all(
    tables.map(async (table) => (await world.db.select({ n: count() }).from(table))[0]?.n),
  );
  const [audit] = await world.db.select({ n: count() }).from(auditLog).where(eq(auditLog.outcome, "success"));
  return [...counts, audit?.n];
}

function delta(before: (number | undefined)[], after: (number | undefined)[]) {
  return after.map((value, index) => (value ?? 0) - (before[index] ?? 0));
}

describe("idempotency of every stock and distribution mutation", () => {
  for (const [procedure, prepare] of Object.entries(scenarios)) {
    it(`${procedure}: 3 sequential and 3 concurrent replays apply once; another payload is UNPROCESSABLE`, async () => {
      const sequential = await prepare();
      const key = newKey();
      const before = await effects();
      const first = await sequential.send(key);
      const once = delta(before, await effects());
      expect(once.some((n) => n > 0)).toBe(true);
      for (let replay = 0; replay < 3; replay++) {
        expect(await sequential.send(key)).toEqual(first);
      }
      expect(delta(before, await effects())).toEqual(once);

      const concurrent = await prepare();
      const racingKey = newKey();
      const racingBefore = await effects();
      const answers = await Promise.all([1, 2, 3].map(() => concurrent.send(racingKey)));
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(delta(racingBefore, await effects())).toEqual(once);

      const reused = await concurrent.sendOther(racingKey).then(
        () => null,
        (error: unknown) => error,
      );
      expect(reused).toBeInstanceOf(TRPCError);
      expect((reused as TRPCError).code).toBe("UNPROCESSABLE_CONTENT");
      expect((reused as TRPCError).message).toContain("already used for a different request");
      expect(shapeSentFor(reused as TRPCError).data.reason).toBe("idempotency.payload_mismatch");
    });
  }

  it("refuses another user's key instead of answering with their result", async () => {
    const { send } = (await scenarios["stock.recordUsage"]?.()) ?? { send: null };
    if (!send) throw new Error("scenario missing");
    const key = newKey();
    await send(key);
    const other = await caller(people().districtOfficerA.id);
    const [entry] = await world.db.select().from(stockLedger).where(eq(stockLedger.idempotencyKey, key));
    const error = await other.stock
      .recordUsage({
        idempotencyKey: key,
        orgUnitId: facility(),
        lines: [{ batchId: entry?.batchId ?? 0, vialsOpened: 1, dosesAdministered: 8 }],
      })
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNPROCESSABLE_CONTENT");
    expect(shapeSentFor(error as TRPCError).data.reason).toBe("idempotency.key_reused");
  });
});
