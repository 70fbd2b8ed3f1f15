import {
  approveRequest,
  createRequest,
  findRequests,
  getRequestDetail,
  rejectRequest,
  requireRequestAccess,
  ZApproveRequestSchema,
  ZCreateRequestSchema,
  ZListRequestsSchema,
  ZRejectRequestSchema,
} from "@rantai/core/distribution";
import { authorizeOrgUnit, ZIdSchema } from "@rantai/core/kernel";
import { z } from "zod";
import { protectedProcedure } from "../trpc";

/** Pull distribution: requests from a store to its supplier. */
export const requestProcedures = {
  /** A store asks its supplier for stock; quantities default to the min/max suggestion. */
  createRequest: protectedProcedure.input(ZCreateRequestSchema).mutation(async ({ ctx, input }) => {
    const requester = await authorizeOrgUnit(
      ctx,
      "distribution.write",
      "distribution.createRequest",
      input.requesterOrgUnitId,
    );
    return createRequest(ctx, requester, input);
  }),

  /** The supplier approves a submitted request, editing quantities if needed. */
  approveRequest: protectedProcedure.input(ZApproveRequestSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.approveRequest";
    const found = await requireRequestAccess(ctx, input.requestId, { action, side: "supplier", write: true });
    return approveRequest(ctx, found, input);
  }),

  /** The supplier rejects a submitted request with a reason. */
  rejectRequest: protectedProcedure.input(ZRejectRequestSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.rejectRequest";
    const found = await requireRequestAccess(ctx, input.requestId, { action, side: "supplier", write: true });
    return rejectRequest(ctx, found, input);
  }),

  /** Requests made by or to a store, newest first. */
  listRequests: protectedProcedure.input(ZListRequestsSchema).query(async ({ ctx, input }) => {
    const action = "distribution.listRequests";
    const store = await authorizeOrgUnit(ctx, "distribution.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findRequests(ctx.db, store.id, input);
  }),

  /** One request with its lines; visible to the requester's and the supplier's side. */
  getRequest: protectedProcedure.input(z.strictObject({ requestId: ZIdSchema })).query(async ({ ctx, input }) => {
    const action = "distribution.getRequest";
    const found = await requireRequestAccess(ctx, input.requestId, { action, side: "either", write: false });
    return getRequestDetail(ctx.db, ctx.actor, found);
  }),
};
