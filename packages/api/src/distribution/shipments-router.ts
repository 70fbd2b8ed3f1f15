import { z } from "zod";
import { requireOrgUnitInScope } from "../orgs/scope";
import { requireStoreForWriting } from "../stock/permissions";
import { ZIdSchema } from "../stock/schemas";
import { protectedProcedure } from "../trpc";
import { requireShipmentAccess } from "./access";
import { findProposedAllocation, ZProposeAllocationSchema } from "./allocation-query";
import { allocateShipments, ZAllocateSchema } from "./push-allocation";
import { dispatchShipment, ZDispatchShipmentSchema } from "./shipment-dispatch";
import { findShipments, getShipmentDetail, ZListShipmentsSchema } from "./shipment-queries";
import { receiveShipment, ZReceiveShipmentSchema } from "./shipment-receipt";
import { cancelShipment, createShipment, ZCancelShipmentSchema, ZCreateShipmentSchema } from "./shipments";

/** Shipments between stores along supply links: draft → dispatched (in transit) → received. */
export const shipmentProcedures = {
  /** Which lots to ship for the doses wanted: VVM stage, then earliest expiry; never unusable lots. */
  proposeAllocation: protectedProcedure.input(ZProposeAllocationSchema).query(async ({ ctx, input }) => {
    const action = "distribution.proposeAllocation";
    const sender = await requireOrgUnitInScope(ctx, input.senderOrgUnitId ?? ctx.actor.orgUnitId, action);
    return findProposedAllocation(ctx.db, sender.id, input);
  }),

  /** A draft shipment (transfer down a supply link, or return up it), optionally for an approved request. */
  createShipment: protectedProcedure.input(ZCreateShipmentSchema).mutation(async ({ ctx, input }) => {
    const sender = await requireStoreForWriting(ctx, input.senderOrgUnitId, "distribution.createShipment");
    return createShipment(ctx, sender, input);
  }),

  /** Push distribution: draft shipments to many supplied stores at once, without requests. */
  allocate: protectedProcedure.input(ZAllocateSchema).mutation(async ({ ctx, input }) => {
    const sender = await requireStoreForWriting(ctx, input.senderOrgUnitId, "distribution.allocate");
    return allocateShipments(ctx, sender, input);
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
    const store = await requireOrgUnitInScope(
      ctx,
      input.orgUnitId ?? ctx.actor.orgUnitId,
      "distribution.listShipments",
    );
    return findShipments(ctx.db, store.id, input);
  }),

  /** One shipment with lines and receipt; visible to the sender's and the receiver's side. */
  getShipment: protectedProcedure.input(z.strictObject({ shipmentId: ZIdSchema })).query(async ({ ctx, input }) => {
    const action = "distribution.getShipment";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "either", write: false });
    return getShipmentDetail(ctx.db, found);
  }),
};
