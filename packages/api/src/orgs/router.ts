import { findFacilities, getOrgTree, requireOrgUnitInScope, ZListFacilitiesSchema } from "@rantai/core/orgs";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

export const orgsRouter = createTRPCRouter({
  /** The caller's org unit (or one under it) with `levels` levels of units beneath. */
  tree: protectedProcedure
    .input(
      z.strictObject({
        rootId: z.number().int().positive().optional(),
        levels: z.number().int().min(0).max(3).default(2),
      }),
    )
    .query(async ({ ctx, input }) => {
      const root = await requireOrgUnitInScope(ctx, input.rootId ?? ctx.actor.orgUnitId, "orgs.tree");
      return getOrgTree(ctx.db, root, input.levels);
    }),

  listFacilities: protectedProcedure.input(ZListFacilitiesSchema).query(async ({ ctx, input }) => {
    const scope = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "orgs.listFacilities");
    return findFacilities(ctx.db, scope.path, input);
  }),
});
