import { findFridges, ZListFridgesSchema } from "@rantai/core/coldchain";
import { authorizeOrgUnit } from "@rantai/core/kernel";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { alarmsRouter } from "./alarms/router";
import { sensorsRouter } from "./sensors/router";

export const coldchainRouter = createTRPCRouter({
  sensors: sensorsRouter,
  alarms: alarmsRouter,
  /** Fridges and freezers under the caller's unit (or a unit in scope) with their latest temperature. */
  listFridges: protectedProcedure.input(ZListFridgesSchema).query(async ({ ctx, input }) => {
    const action = "coldchain.listFridges";
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findFridges(ctx.db, scope.path, input);
  }),
});
