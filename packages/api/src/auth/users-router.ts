import {
  disableUser,
  enableUser,
  findUsersInScope,
  reassignUser,
  resetUserPassword,
  ZListUsersSchema,
  ZReassignUserSchema,
  ZResetPasswordSchema,
  ZUserTargetSchema,
} from "@rantai/core/auth";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * User administration for national admins and for province and district officers within their
 * unit. Scope, rank and role are checked by the domain functions (the target is a nested id),
 * which audit every change and every refusal; every change ends the user's sessions.
 */
export const usersRouter = createTRPCRouter({
  /** Users at or under an org unit in the caller's scope, a page at a time. */
  list: protectedProcedure.input(ZListUsersSchema).query(({ ctx, input }) => findUsersInScope(ctx, input)),

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
