import {
  createMobileSession,
  getSignedInUser,
  setOwnLocale,
  signOutEverywhere,
  verifyCredentials,
  ZSetLocaleSchema,
  ZSignInSchema,
} from "@rantai/core/auth";
import { AppError } from "@rantai/core/kernel";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const authRouter = createTRPCRouter({
  /** The phone app's sign-in: returns a bearer token to keep in secure storage. */
  signInMobile: publicProcedure
    .input(ZSignInSchema.extend({ deviceName: z.string().trim().max(120).optional() }))
    .mutation(async ({ ctx, input }) => {
      const actor = await verifyCredentials(ctx, input);
      const session = await createMobileSession(ctx.db, actor, { deviceName: input.deviceName });
      return { ...session, user: await getSignedInUser(ctx.db, actor) };
    }),

  /** Ends this token and every other session of the user, phone and console alike. */
  signOutMobile: protectedProcedure.mutation(async ({ ctx }) => {
    const sessionId = ctx.mobileSessionId;
    if (sessionId === null) {
      throw new AppError(
        "auth.no_phone_session",
        "This request has no phone session to end. The web console signs out at /api/auth/signout.",
      );
    }
    await signOutEverywhere(ctx, ctx.meta, ctx.actor, "phone", { mobileSessionId: sessionId });
    return { signedOut: true };
  }),

  /** The signed-in user, with their unit's time zone: the phone shows times on the facility's clock. */
  me: protectedProcedure.query(({ ctx }) => getSignedInUser(ctx.db, ctx.actor)),

  /** The signed-in user's own language (console and phone); self-service, no scope involved. */
  setLocale: protectedProcedure.input(ZSetLocaleSchema).mutation(({ ctx, input }) => setOwnLocale(ctx, input)),
});
