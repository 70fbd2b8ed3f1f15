import { randomUUID } from "node:crypto";
import type { Database } from "@rantai/db";
import type { Redis } from "ioredis";
import type { Actor } from "./auth/actor";
import { findActiveActor } from "./auth/actor";
import type { RequestMeta } from "./auth/audit";
import { findActorByBearerToken } from "./auth/mobile-sessions";

/** Long-lived clients a host process creates once and hands to every request. */
export interface ApiServices {
  db: Database;
  redis: Redis;
}

export interface ApiContext extends ApiServices {
  actor: Actor | null;
  /** The phone app's bearer session, when the request came with one. */
  mobileSessionId: number | null;
  meta: RequestMeta;
}

/**
 * Builds a request's context. The web console passes the user id from its next-auth session;
 * the phone app sends `Authorization: Bearer <token>`. Either way the user is re-read from the
 * database, so disabling a user takes effect on their next request.
 */
export async function createApiContext(
  services: ApiServices,
  request: { headers: Headers; sessionUserId?: number | null },
): Promise<ApiContext> {
  const { headers } = request;
  const meta: RequestMeta = {
    requestId: headers.get("x-request-id")?.slice(0, 64) ?? randomUUID(),
    ip: headers.get("x-forwarded-for")?.split(",")[0]?.trim().slice(0, 45) ?? null,
    userAgent: headers.get("user-agent"),
  };
  const bearer = /^Bearer (\S+)$/.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    const found = await findActorByBearerToken(services.db, bearer);
    return { ...services, meta, actor: found?.actor ?? null, mobileSessionId: found?.sessionId ?? null };
  }
  const actor = request.sessionUserId ? await findActiveActor(services.db, request.sessionUserId) : null;
  return { ...services, meta, actor, mobileSessionId: null };
}
