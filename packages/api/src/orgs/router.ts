import { authorizeOrgUnit, ZIdSchema } from "@rantai/core/kernel";
import {
  createFacility,
  findFacilities,
  getOrgTree,
  getOverview,
  listFacilityFigures,
  requireFacilityInScope,
  toFacilityDetail,
  updateFacility,
  ZCreateFacilitySchema,
  ZGetOverviewSchema,
  ZListFacilitiesSchema,
  ZListFacilityFiguresSchema,
  ZUpdateFacilitySchema,
} from "@rantai/core/orgs";
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

  /** Stock and cold-chain figures over every facility of a unit in scope, and of each unit one level down. */
  overview: protectedProcedure.input(ZGetOverviewSchema).query(async ({ ctx, input }) => {
    const scope = await authorizeOrgUnit(ctx, "orgs.read", "orgs.overview", input.orgUnitId ?? ctx.actor.orgUnitId);
    return getOverview(ctx.db, scope);
  }),

  /** The facility table: searched, filtered, sorted and paged over every facility of a unit in scope. */
  facilities: protectedProcedure.input(ZListFacilityFiguresSchema).query(async ({ ctx, input }) => {
    const scope = await authorizeOrgUnit(ctx, "orgs.read", "orgs.facilities", input.orgUnitId ?? ctx.actor.orgUnitId);
    return listFacilityFigures(ctx.db, scope, input);
  }),

  /** One facility's heading (district, province, clock); another district's facility is refused like a random id. */
  facility: protectedProcedure.input(z.strictObject({ facilityId: ZIdSchema })).query(async ({ ctx, input }) => {
    return toFacilityDetail(await requireFacilityInScope(ctx, input.facilityId, "orgs.facility"));
  }),

  /** Registers a facility under a district in scope. */
  createFacility: protectedProcedure.input(ZCreateFacilitySchema).mutation(async ({ ctx, input }) => {
    const parent = await authorizeOrgUnit(ctx, "orgs.manage", "orgs.createFacility", input.parentId);
    return createFacility(ctx, parent, input);
  }),

  /** Renames a facility, corrects its code or moves it to another district; both ends in scope. */
  updateFacility: protectedProcedure.input(ZUpdateFacilitySchema).mutation(async ({ ctx, input }) => {
    const action = "orgs.updateFacility";
    const facility = await authorizeOrgUnit(ctx, "orgs.manage", action, input.facilityId);
    const parent =
      input.parentId === undefined ? null : await authorizeOrgUnit(ctx, "orgs.manage", action, input.parentId);
    return updateFacility(ctx, facility, parent, input);
  }),
});
