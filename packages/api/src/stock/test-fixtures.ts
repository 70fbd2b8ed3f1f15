import { randomBytes, randomUUID } from "node:crypto";
import { findActiveActor } from "@rantai/core/auth";
import { createShipment, dispatchShipment } from "@rantai/core/distribution";
import type { DomainContext } from "@rantai/core/kernel";
import { insertId } from "@rantai/core/kernel";
import { recordAdjustment, recordReceipt, wibDate } from "@rantai/core/stock";
import { type Executor, items, type OrgUnit, stockBalances, stockRequestLines, stockRequests } from "@rantai/db";
import { createOrgUnit } from "@rantai/db/factories";
import { and, eq } from "drizzle-orm";
import type { ApiTestWorld } from "../testing";

/**
 * Builders for stock and distribution tests (and the authorization matrix). They go through the
 * domain functions, never around them, so every fixture leaves a consistent ledger.
 */

export type TestItem = { id: number; code: string; name: string; dosesPerVial: number };

export async function createItem(
  db: Executor,
  input: { dosesPerVial?: number; freezeSensitive?: boolean; name?: string } = {},
): Promise<TestItem> {
  const code = `T-${randomBytes(3).toString("hex")}`;
  const name = input.name ?? `Vaccine ${code}`;
  const dosesPerVial = input.dosesPerVial ?? 10;
  const id = insertId(
    await db.insert(items).values({
      code,
      name,
      kind: "vaccine",
      dosesPerVial,
      freezeSensitive: input.freezeSensitive ?? true,
      vvmType: "VVM14",
      openVialPolicy: "keep_28_days",
    }),
  );
  return { id, code, name, dosesPerVial };
}

/** A domain context acting as a user of the world (what a router would pass). */
export async function stockContextFor(world: ApiTestWorld, userId: number): Promise<DomainContext> {
  const actor = await findActiveActor(world.db, userId);
  if (!actor) throw new Error(`user ${userId} is not active`);
  const { db, meta } = world.contextFor(actor);
  return { db, actor, meta };
}

/** The calendar date `days` from today (negative: in the past). */
export function dateInDays(days: number): string {
  return wibDate(new Date(Date.now() + days * 86_400_000));
}

export const newKey = () => randomUUID();

/** Receives `doses` of a lot (created if new) into a store from outside; returns the lot id. */
export async function receiveLot(
  ctx: DomainContext,
  orgUnitId: number,
  item: TestItem,
  doses: number,
  options: { lotNumber?: string; expiryDate?: string; vvmStage?: number; occurredAt?: Date } = {},
): Promise<number> {
  const result = await recordReceipt(ctx, {
    idempotencyKey: newKey(),
    orgUnitId,
    supplierName: "Bio Farma",
    occurredAt: options.occurredAt,
    lines: [
      {
        itemId: item.id,
        lotNumber: options.lotNumber ?? `LOT-${randomBytes(3).toString("hex")}`,
        expiryDate: options.expiryDate ?? dateInDays(365),
        manufacturer: "Bio Farma",
        doses,
        vvmStage: options.vvmStage ?? 1,
      },
    ],
  });
  const [entry] = result.entries;
  if (!entry) throw new Error("a receipt posts an entry");
  return entry.batchId;
}

/** A store the given one may ship to: its first child, or its parent (a return) when it has none. */
export function counterpartOf(world: ApiTestWorld, unitId: number): OrgUnit {
  const units = Object.values(world.units);
  const child = units.find((unit) => unit.parentId === unitId);
  const parent = units.find((unit) => units.some((u) => u.id === unitId && u.parentId === unit.id));
  const counterpart = child ?? parent;
  if (!counterpart) throw new Error(`unit ${unitId} has neither child nor parent in the test world`);
  return counterpart;
}

/**
 * A shipment from `sender` to its counterpart (see counterpartOf), with stock received for it,
 * left as a draft or dispatched. Acts as the national admin, who may act everywhere.
 */
export async function prepareShipment(
  world: ApiTestWorld,
  item: TestItem,
  sender: OrgUnit,
  state: "draft" | "dispatched",
) {
  const ctx = await stockContextFor(world, world.people.nationalAdmin.id);
  const receiver = counterpartOf(world, sender.id);
  const batchId = await receiveLot(ctx, sender.id, item, item.dosesPerVial * 2);
  const lines = [{ batchId, doses: item.dosesPerVial }];
  const draft = await createShipment(ctx, sender, {
    idempotencyKey: newKey(),
    senderOrgUnitId: sender.id,
    receiverOrgUnitId: receiver.id,
    lines,
  });
  if (state === "dispatched") {
    const shipment = await world.db.query.shipments.findFirst({ where: (s, { eq }) => eq(s.id, draft.shipmentId) });
    if (!shipment) throw new Error("the draft was just created");
    await dispatchShipment(ctx, { shipment, sender, receiver }, { idempotencyKey: newKey(), shipmentId: shipment.id });
  }
  return { shipmentId: draft.shipmentId, sender, receiver, batchId, lineId: draft.lines[0]?.shipmentLineId ?? 0 };
}

/**
 * Stock for the authorization matrix: one usable lot at every store, a second province (so the
 * national store has a partner outside a province officer's scope) and a pustu under each
 * puskesmas (so every store the matrix acts for supplies someone). Entities are built so that
 * the given unit is on the side that acts on them.
 */
export async function createMatrixStock(world: ApiTestWorld) {
  const { db } = world;
  const admin = await stockContextFor(world, world.people.nationalAdmin.id);
  const item = await createItem(db, { dosesPerVial: 10 });
  const otherProvince = await createOrgUnit(db, { parent: world.units.national, level: "province" });
  const pustus = await Promise.all(
    [world.units.facilityA1, world.units.facilityA2, world.units.facilityB1].map((parent) =>
      createOrgUnit(db, { parent, level: "facility" }),
    ),
  );
  const all = [...Object.values(world.units), otherProvince, ...pustus];
  const lot = { lotNumber: `MATRIX-${item.code}`, expiryDate: dateInDays(365) };
  let batchId = 0;
  for (const unit of all) batchId = await receiveLot(admin, unit.id, item, 2000, lot);

  const unitOf = (id: number) => all.find((unit) => unit.id === id);
  /** The store a unit ships back to (its parent), or for the national store, the other province. */
  const partnerOf = (unit: OrgUnit) =>
    (unit.parentId === null ? otherProvince : unitOf(unit.parentId)) ?? otherProvince;
  const childOf = (id: number) => all.find((unit) => unit.parentId === id) ?? otherProvince;

  async function draftShipment(sender: OrgUnit, receiver: OrgUnit): Promise<number> {
    const lines = [{ batchId, doses: item.dosesPerVial }];
    const draft = await createShipment(admin, sender, {
      idempotencyKey: newKey(),
      senderOrgUnitId: sender.id,
      receiverOrgUnitId: receiver.id,
      lines,
    });
    return draft.shipmentId;
  }

  return {
    item,
    batchId,
    childOf,
    async balanceAt(orgUnitId: number): Promise<number> {
      const [row] = await db
        .select({ quantity: stockBalances.quantity })
        .from(stockBalances)
        .where(and(eq(stockBalances.orgUnitId, orgUnitId), eq(stockBalances.batchId, batchId)));
      return row?.quantity ?? 0;
    },
    /** A ledger entry at the unit (an adjustment), to be reversed. */
    async entryAt(unit: OrgUnit): Promise<number> {
      const input = { orgUnitId: unit.id, batchId, doses: item.dosesPerVial, reason: "found" as const, note: "matrix" };
      const result = await recordAdjustment(admin, { idempotencyKey: newKey(), ...input });
      return result.entries[0]?.id ?? 0;
    },
    /** A submitted request between the unit and its partner, the unit being `role`. */
    async requestWith(unit: OrgUnit, role: "requester" | "supplier"): Promise<number> {
      const partner = partnerOf(unit);
      const [requester, supplier] = role === "requester" ? [unit, partner] : [partner, unit];
      const requestId = insertId(
        await db.insert(stockRequests).values({
          requesterOrgUnitId: requester.id,
          supplierOrgUnitId: supplier.id,
          status: "submitted",
          idempotencyKey: newKey(),
          createdBy: world.people.nationalAdmin.id,
          submittedAt: new Date(),
        }),
      );
      await db.insert(stockRequestLines).values({
        requestId,
        itemId: item.id,
        stockOnHand: 0,
        averageMonthlyConsumption: 0,
        suggestedDoses: 0,
        requestedDoses: item.dosesPerVial,
      });
      return requestId;
    },
    /** A draft shipment sent by the unit. */
    shipmentFrom: (unit: OrgUnit) => draftShipment(unit, partnerOf(unit)),
    /** A dispatched shipment sent to the unit. */
    async shipmentTo(unit: OrgUnit): Promise<number> {
      const sender = partnerOf(unit);
      const shipmentId = await draftShipment(sender, unit);
      const shipment = await db.query.shipments.findFirst({ where: (s, { eq: equals }) => equals(s.id, shipmentId) });
      if (!shipment) throw new Error("the draft was just created");
      await dispatchShipment(admin, { shipment, sender, receiver: unit }, { idempotencyKey: newKey(), shipmentId });
      return shipmentId;
    },
  };
}
export type MatrixStock = Awaited<ReturnType<typeof createMatrixStock>>;
