import { appCompatibility, ZAppVersionSchema } from "@rantai/core/rules";
import { z } from "zod";
import { defaultMobileMinVersion } from "../env";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** About the phone app itself, asked before anyone is signed in. */
export const appInfoRouter = createTRPCRouter({
  /**
   * Whether this version of the phone app is still served, and the oldest that is. Public: the
   * phone asks at sign-in, and the minimum is no secret.
   */
  compatibility: publicProcedure
    .input(z.object({ version: ZAppVersionSchema }))
    .query(({ ctx, input }) => appCompatibility(input.version, ctx.mobileMinVersion ?? defaultMobileMinVersion)),
});
