import { requireOrgUnitInScope } from "../orgs/scope";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { findFridges, ZListFridgesSchema } from "./fridges";

export const coldchainRouter = createTRPCRouter({
  /** Fridges and freezers under the caller's unit (or a unit in scope) with their latest temperature. */
  listFridges: protectedProcedure.input(ZListFridgesSchema).query(async ({ ctx, input }) => {
    const scope = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "coldchain.listFridges");
    return findFridges(ctx.db, scope.path, input);
  }),
});
