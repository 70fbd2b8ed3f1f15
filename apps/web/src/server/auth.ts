import "server-only";
import { randomUUID } from "node:crypto";
import { AppError, type createApiContext } from "@rantai/api";
import {
  type Actor,
  type ConsoleSession,
  findSessionActor,
  type RequestMeta,
  resolveClientAddress,
  signOutEverywhere,
  verifyCredentials,
  ZSignInSchema,
} from "@rantai/core/auth";
import { actorCacheOf } from "@rantai/core/kernel";
import type { NextAuthOptions } from "next-auth";
import { getServerSession } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cache } from "react";
import { env } from "~/env";
import { peerAddressOf } from "./peer-address";
import { getServices } from "./services";
import { sessionCookieFor } from "./session-cookie";

declare module "next-auth" {
  interface User {
    /** The user's session version at sign-in; the JWT is valid only while it is still theirs. */
    sessionVersion?: number;
  }
}

/** The console signs out after 30 minutes without activity and 12 hours after sign-in at the latest. */
const idleSeconds = 30 * 60;
const absoluteSeconds = 12 * 60 * 60;

const sessionCookie = sessionCookieFor(env.NEXTAUTH_URL);

/**
 * What one request to next-auth's endpoints knows about its caller, and what sign-in reports
 * back for the HTTP response (the wait, when the sign-in limits refused it).
 */
export interface AuthRequest {
  meta: RequestMeta;
  retryAfterSeconds?: number;
}

/** The request's meta: its client address only through the configured trusted proxies. */
export function authRequestFrom(headers: Headers): AuthRequest {
  return {
    meta: {
      requestId: headers.get("x-request-id")?.slice(0, 64) ?? randomUUID(),
      ip: resolveClientAddress({
        headers,
        trustedProxyHops: env.TRUSTED_PROXY_HOPS,
        peerAddress: peerAddressOf(headers),
      }),
      userAgent: headers.get("user-agent"),
    },
  };
}

/**
 * next-auth's options. `request` is given for its own endpoints (sign-in, sign-out), so their
 * audit rows carry the request's address; pages and the API read sessions with the plain ones.
 */
export function createAuthOptions(request: AuthRequest | null): NextAuthOptions {
  const meta = () => request?.meta ?? { requestId: randomUUID(), ip: null, userAgent: null };
  return {
    secret: env.AUTH_SECRET,
    // Credentials sign-in needs JWT sessions; every request re-reads the user and compares the
    // session version (see createApiContext and getSessionUserId).
    session: { strategy: "jwt", maxAge: idleSeconds, updateAge: 5 * 60 },
    useSecureCookies: sessionCookie.secure,
    cookies: { sessionToken: sessionCookie.cookie },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          // next-auth adds its own fields (csrfToken, callbackUrl); only these two are ours.
          const parsed = ZSignInSchema.safeParse({ email: credentials?.email, password: credentials?.password });
          // next-auth hands the error's message to the sign-in form, which translates it: so the
          // message is the reason (and the wait, when throttled), never English text.
          if (!parsed.success) throw new Error(signInErrorCode("input.invalid"));
          try {
            const actor = await verifyCredentials({ ...getServices(), meta: meta() }, parsed.data);
            return {
              id: String(actor.userId),
              name: actor.name,
              email: actor.email,
              sessionVersion: actor.sessionVersion,
            };
          } catch (error) {
            if (error instanceof AppError) {
              if (request && error.retryAfterSeconds !== undefined) request.retryAfterSeconds = error.retryAfterSeconds;
              throw new Error(signInErrorCode(error.reason, error.retryAfterSeconds));
            }
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.userId = Number(user.id);
          token.sessionVersion = user.sessionVersion;
          token.signedInAt = Math.floor(Date.now() / 1000);
        }
        const signedInAt = typeof token.signedInAt === "number" ? token.signedInAt : 0;
        // Past the absolute limit the token carries no user, so every request is treated as signed out.
        if (Math.floor(Date.now() / 1000) - signedInAt > absoluteSeconds) token.userId = undefined;
        return token;
      },
      session({ session, token }) {
        return { ...session, consoleSession: consoleSessionOf(token) };
      },
    },
    events: {
      // Sign-out ends the session on the server, not only in this browser: a copied cookie is
      // refused from now on, and so are the user's other sessions (console and phone).
      async signOut({ token }) {
        const session = consoleSessionOf(token);
        if (session) await signOutEverywhere(getServices(), meta(), session, "console");
      },
    },
  };
}

/** "auth.rate_limited:120": what a refused sign-in tells the form, read back by `parseSignInError`. */
function signInErrorCode(reason: string, retryAfterSeconds?: number): string {
  return retryAfterSeconds === undefined ? reason : `${reason}:${retryAfterSeconds}`;
}

function consoleSessionOf(token: Record<string, unknown> | null | undefined): ConsoleSession | null {
  const userId = token?.userId;
  const sessionVersion = token?.sessionVersion;
  return typeof userId === "number" && typeof sessionVersion === "number" ? { userId, sessionVersion } : null;
}

export const authOptions = createAuthOptions(null);

/** The console session the cookie claims (user id and session version), not yet checked against the database. */
export async function getConsoleSession(): Promise<ConsoleSession | null> {
  const session = await getServerSession(authOptions);
  const claimed = (session as { consoleSession?: unknown } | null)?.consoleSession;
  return consoleSessionOf(typeof claimed === "object" ? (claimed as Record<string, unknown> | null) : null);
}

/**
 * The signed-in user for server-rendered pages, or null when there is no session, the user is
 * disabled, or the session was ended on the server (sign-out, password reset, role change).
 * Read once per request (the layout's language and the page's session check share it), through
 * the actor cache that every change to a user clears.
 */
export const getSessionActor = cache(async (): Promise<Actor | null> => {
  const session = await getConsoleSession();
  if (!session) return null;
  const services = getServices();
  return findSessionActor(services.db, session, actorCacheOf(services));
});

/** The signed-in user's id for server-rendered pages, or null (see getSessionActor). */
export async function getSessionUserId(): Promise<number | null> {
  return (await getSessionActor())?.userId ?? null;
}

/** What the tRPC endpoint passes to createApiContext for a console or phone request. */
export async function readApiRequest(headers: Headers): Promise<Parameters<typeof createApiContext>[1]> {
  const hasBearer = headers.get("authorization")?.startsWith("Bearer ") ?? false;
  return {
    headers,
    session: hasBearer ? null : await getConsoleSession(),
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
    peerAddress: peerAddressOf(headers),
  };
}
