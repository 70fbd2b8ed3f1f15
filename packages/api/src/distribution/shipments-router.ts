import {
  allocateShipments,
  cancelShipment,
  createShipment,
  dispatchShipment,
  editDraftShipment,
  findProposedAllocation,
  findProposedPushAllocation,
  findShipments,
  getShipmentDetail,
  receiveShipment,
  requireShipmentAccess,
  ZAllocateSchema,
  ZCancelShipmentSchema,
  ZCreateShipmentSchema,
  ZDispatchShipmentSchema,
  ZEditDraftShipmentSchema,
  ZListShipmentsSchema,
  ZProposeAllocationSchema,
  ZProposePushAllocationSchema,
  ZReceiveShipmentSchema,
} from "@rantai/core/distribution";
import { authorizeOrgUnit, ZIdSchema } from "@rantai/core/kernel";
import { z } from "zod";
import { protectedProcedure } from "../trpc";

/** Shipments between stores along supply links: draft → dispatched (in transit) → received. */
export const shipmentProcedures = {
  /** Which lots to ship for the doses wanted: VVM stage, then earliest expiry; never unusable lots. */
  proposeAllocation: protectedProcedure.input(ZProposeAllocationSchema).query(async ({ ctx, input }) => {
    const action = "distribution.proposeAllocation";
    const sender = await authorizeOrgUnit(
      ctx,
      "distribution.read",
      action,
      input.senderOrgUnitId ?? ctx.actor.orgUnitId,
    );
    return findProposedAllocation(ctx.db, sender.id, input);
  }),

  /** The lots for a push allocation to many stores, each served from what the ones before it left. */
  proposePushAllocation: protectedProcedure.input(ZProposePushAllocationSchema).query(async ({ ctx, input }) => {
    const action = "distribution.proposePushAllocation";
    const sender = await authorizeOrgUnit(
      ctx,
      "distribution.read",
      action,
      input.senderOrgUnitId ?? ctx.actor.orgUnitId,
    );
    return findProposedPushAllocation(ctx.db, sender.id, input);
  }),

  /** A draft shipment (transfer down a supply link, or return up it), optionally for an approved request. */
  createShipment: protectedProcedure.input(ZCreateShipmentSchema).mutation(async ({ ctx, input }) => {
    const sender = await authorizeOrgUnit(
      ctx,
      "distribution.write",
      "distribution.createShipment",
      input.senderOrgUnitId,
    );
    return createShipment(ctx, sender, input);
  }),

  /** Push distribution: draft shipments to many supplied stores at once, without requests. */
  allocate: protectedProcedure.input(ZAllocateSchema).mutation(async ({ ctx, input }) => {
    const sender = await authorizeOrgUnit(ctx, "distribution.write", "distribution.allocate", input.senderOrgUnitId);
    return allocateShipments(ctx, sender, input);
  }),

  /** The sender replaces a draft's lines (other lots or quantities) before dispatching it. */
  editDraftShipment: protectedProcedure.input(ZEditDraftShipmentSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.editDraftShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "sender", write: true });
    return editDraftShipment(ctx, found, input);
  }),

  /** The sender dispatches a draft: its stock leaves and is in transit. */
  dispatchShipment: protectedProcedure.input(ZDispatchShipmentSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.dispatchShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "sender", write: true });
    return dispatchShipment(ctx, found, input);
  }),

  /** The receiver receives a dispatched shipment, reporting short, damaged or wrong lots. */
  receiveShipment: protectedProcedure.input(ZReceiveShipmentSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.receiveShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "receiver", write: true });
    return receiveShipment(ctx, found, input);
  }),

  /** The sender cancels a draft. */
  cancelShipment: protectedProcedure.input(ZCancelShipmentSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.cancelShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "sender", write: true });
    return cancelShipment(ctx, found, input);
  }),

  /** Shipments sent by or to a store, newest first; status "dispatched" is what is in transit. */
  listShipments: protectedProcedure.input(ZListShipmentsSchema).query(async ({ ctx, input }) => {
    const action = "distribution.listShipments";
    const store = await authorizeOrgUnit(ctx, "distribution.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findShipments(ctx.db, store.id, input);
  }),

  /** One shipment with lines and receipt; visible to the sender's and the receiver's side. */
  getShipment: protectedProcedure.input(z.strictObject({ shipmentId: ZIdSchema })).query(async ({ ctx, input }) => {
    const action = "distribution.getShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "either", write: false });
    return getShipmentDetail(ctx.db, ctx.actor, found);
  }),
};
