import { authorizeOrgUnit } from "@rantai/core/kernel";
import { pullSyncChanges, pushSyncActions, ZSyncPullSchema, ZSyncPushSchema } from "@rantai/core/sync";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * Offline sync for the phone: one push of queued actions (results per action), one pull of what
 * changed at the facility after a cursor. Both name the facility and authorize on it through the
 * one step; each pushed action is authorized again by the domain as its online procedure is.
 */
export const syncRouter = createTRPCRouter({
  /** Applies a facility's queued actions in order, each once, each through its online procedure's domain function. */
  push: protectedProcedure.input(ZSyncPushSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "sync.push", input.orgUnitId);
    return pushSyncActions(ctx, input, { publishAlarmNotices: ctx.alarmNotices.publish });
  }),

  /** What changed at the facility after the cursor (everything on the first pull), paged. */
  pull: protectedProcedure.input(ZSyncPullSchema).query(async ({ ctx, input }) => {
    const facility = await authorizeOrgUnit(ctx, "stock.read", "sync.pull", input.orgUnitId);
    return pullSyncChanges(ctx, facility, input);
  }),
});
