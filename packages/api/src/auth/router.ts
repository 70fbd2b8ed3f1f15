import { z } from "zod";
import { AppError } from "../errors";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";
import { toPublicUser } from "./actor";
import { writeAudit } from "./audit";
import { verifyCredentials, ZSignInSchema } from "./credentials";
import { createMobileSession, revokeMobileSession } from "./mobile-sessions";

export const authRouter = createTRPCRouter({
  /** The phone app's sign-in: returns a bearer token to keep in secure storage. */
  signInMobile: publicProcedure
    .input(ZSignInSchema.extend({ deviceName: z.string().trim().max(120).optional() }))
    .mutation(async ({ ctx, input }) => {
      const actor = await verifyCredentials(ctx, input);
      const session = await createMobileSession(ctx.db, actor, { deviceName: input.deviceName });
      return { ...session, user: toPublicUser(actor) };
    }),

  signOutMobile: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.mobileSessionId === null) {
      throw new AppError(
        "BAD_REQUEST",
        "This request has no phone session to end. The web console signs out at /api/auth/signout.",
      );
    }
    await revokeMobileSession(ctx.db, ctx.mobileSessionId);
    await writeAudit(ctx.db, ctx.meta, { action: "auth.sign_out", outcome: "success", actorUserId: ctx.actor.userId });
    return { signedOut: true };
  }),

  me: protectedProcedure.query(({ ctx }) => toPublicUser(ctx.actor)),
});
