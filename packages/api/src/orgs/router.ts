import { authorizeOrgUnit } from "@rantai/core/kernel";
import { findFacilities, getOrgTree, ZListFacilitiesSchema } from "@rantai/core/orgs";
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
      const root = await authorizeOrgUnit(ctx, "orgs.read", "orgs.tree", input.rootId ?? ctx.actor.orgUnitId);
      return getOrgTree(ctx.db, root, input.levels);
    }),

  listFacilities: protectedProcedure.input(ZListFacilitiesSchema).query(async ({ ctx, input }) => {
    const action = "orgs.listFacilities";
    const scope = await authorizeOrgUnit(ctx, "orgs.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findFacilities(ctx.db, scope.path, input);
  }),
});
