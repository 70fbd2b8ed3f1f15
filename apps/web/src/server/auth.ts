import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "@rantai/api";
import { verifyCredentials, ZSignInSchema } from "@rantai/api/auth";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "~/env";
import { getServices } from "./services";

/** The console signs out after 30 minutes without activity and 12 hours after sign-in at the latest. */
const idleSeconds = 30 * 60;
const absoluteSeconds = 12 * 60 * 60;

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === "string" ? value : null;
}

export const authOptions: NextAuthOptions = {
  secret: env.AUTH_SECRET,
  // Credentials sign-in needs JWT sessions; every API request re-reads the user (see createApiContext).
  session: { strategy: "jwt", maxAge: idleSeconds, updateAge: 5 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        // next-auth adds its own fields (csrfToken, callbackUrl); only these two are ours.
        const parsed = ZSignInSchema.safeParse({ email: credentials?.email, password: credentials?.password });
        if (!parsed.success) throw new Error("Enter your email address and password.");
        const services = getServices();
        const meta = {
          requestId: randomUUID(),
          ip: headerOf(request.headers, "x-forwarded-for")?.split(",")[0]?.trim() ?? null,
          userAgent: headerOf(request.headers, "user-agent"),
        };
        try {
          const actor = await verifyCredentials({ ...services, meta }, parsed.data);
          return { id: String(actor.userId), name: actor.name, email: actor.email };
        } catch (error) {
          // next-auth passes this message to the sign-in form.
          if (error instanceof AppError) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.userId = Number(user.id);
        token.signedInAt = Math.floor(Date.now() / 1000);
      }
      const signedInAt = typeof token.signedInAt === "number" ? token.signedInAt : 0;
      // Past the absolute limit the token carries no user, so every request is treated as signed out.
      if (Math.floor(Date.now() / 1000) - signedInAt > absoluteSeconds) token.userId = undefined;
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: typeof token.userId === "number" ? token.userId : null };
    },
  },
};

/** The signed-in user's id from the session cookie, or null. Whether they are still active is checked by the API. */
export async function getSessionUserId(): Promise<number | null> {
  const session = await getServerSession(authOptions);
  const userId = (session as { userId?: unknown } | null)?.userId;
  return typeof userId === "number" ? userId : null;
}
