import { findFridges, ZListFridgesSchema } from "@rantai/core/coldchain";
import { requireOrgUnitInScope } from "@rantai/core/orgs";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { alarmsRouter } from "./alarms/router";
import { sensorsRouter } from "./sensors/router";

export const coldchainRouter = createTRPCRouter({
  sensors: sensorsRouter,
  alarms: alarmsRouter,
  /** Fridges and freezers under the caller's unit (or a unit in scope) with their latest temperature. */
  listFridges: protectedProcedure.input(ZListFridgesSchema).query(async ({ ctx, input }) => {
    const scope = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "coldchain.listFridges");
    return findFridges(ctx.db, scope.path, input);
  }),
});
