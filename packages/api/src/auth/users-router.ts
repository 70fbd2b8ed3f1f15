import {
  createUserAccount,
  disableUser,
  enableUser,
  findUsersUnder,
  reassignUser,
  resetUserPassword,
  ZCreateUserSchema,
  ZListUsersSchema,
  ZReassignUserSchema,
  ZResetPasswordSchema,
  ZUserTargetSchema,
} from "@rantai/core/auth";
import { authorizeOrgUnit } from "@rantai/core/kernel";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * User administration (`auth.users.manage`) for national admins and for province and district
 * officers within their unit; every role reads the list of its scope (`auth.users.read`), so a
 * viewer sees the same page with no action offered. The list authorizes the org unit it names here; a change's target
 * user is authorized by the domain function through the same step, on the row it locks (scope
 * and rank must hold at the moment of the change). Every change and refusal is audited; every
 * change ends the user's sessions.
 */
export const usersRouter = createTRPCRouter({
  /** Users at or under an org unit in the caller's scope, a page at a time. */
  list: protectedProcedure.input(ZListUsersSchema).query(async ({ ctx, input }) => {
    const action = "auth.users.list";
    const scope = await authorizeOrgUnit(ctx, "auth.users.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findUsersUnder(ctx.db, scope, input);
  }),

  /** Creates a user at an org unit in scope, with a role below the caller's own. */
  create: protectedProcedure.input(ZCreateUserSchema).mutation(async ({ ctx, input }) => {
    const unit = await authorizeOrgUnit(ctx, "auth.users.manage", "auth.users.create", input.orgUnitId);
    return createUserAccount(ctx, unit, input);
  }),

  /** Disables a user: refused from their next request on, every session ended. */
  disable: protectedProcedure.input(ZUserTargetSchema).mutation(({ ctx, input }) => disableUser(ctx, input)),

  /** Enables a user again; they sign in anew (old sessions stay ended). */
  enable: protectedProcedure.input(ZUserTargetSchema).mutation(({ ctx, input }) => enableUser(ctx, input)),

  /** Sets a new password the administrator chose and ends the user's sessions. */
  resetPassword: protectedProcedure
    .input(ZResetPasswordSchema)
    .mutation(({ ctx, input }) => resetUserPassword(ctx, input)),

  /** Changes a user's role and/or org unit. */
  reassign: protectedProcedure.input(ZReassignUserSchema).mutation(({ ctx, input }) => reassignUser(ctx, input)),
});
