import { randomUUID } from "node:crypto";
import type { Actor, ConsoleSession, LoginThrottle, RequestMeta } from "@rantai/core/auth";
import { findActorByBearerToken, findSessionActor, resolveClientAddress } from "@rantai/core/auth";
import type { AlarmNoticeHub } from "@rantai/core/coldchain/alarms";
import type { PhotoService } from "@rantai/core/distribution";
import { type ActorCache, actorCacheOf } from "@rantai/core/kernel";
import type { Database } from "@rantai/db";
import type { Redis } from "ioredis";

/** Long-lived clients a host process creates once and hands to every request. */
export interface ApiServices {
  db: Database;
  redis: Redis;
  /** The live alarm inbox's notices: published after alarm changes commit, relayed to subscriptions. */
  alarmNotices: AlarmNoticeHub;
  /** Where shipment photos are stored and how their signed links are made. */
  photos: PhotoService;
  /** Sign-in limits; the standard ones on `redis` when not given (tests give each run its own keys). */
  loginThrottle?: LoginThrottle | undefined;
  /** The signed-in users' actors; the standard cache on `redis` when not given (tests give each run its own). */
  actorCache?: ActorCache | undefined;
  /** Prefix of the background job queues in Redis (`JOB_QUEUE_PREFIX`); the worker must use the same. */
  jobQueuePrefix?: string | undefined;
  /** The oldest phone app version still served (`MOBILE_MIN_VERSION`); the API's default when not given. */
  mobileMinVersion?: string | undefined;
}

export interface ApiContext extends ApiServices {
  actor: Actor | null;
  /** The phone app's bearer session, when the request came with one. */
  mobileSessionId: number | null;
  meta: RequestMeta;
}

export interface ApiRequest {
  headers: Headers;
  /** The console's next-auth session (user id and the session version it was issued under). */
  session?: ConsoleSession | null | undefined;
  /** Proxies of the operator's own in front of the app (`TRUSTED_PROXY_HOPS`); 0 when not given. */
  trustedProxyHops?: number | undefined;
  /** The socket's address, when the host knows it. */
  peerAddress?: string | null | undefined;
}

/**
 * Builds a request's context. The web console passes its next-auth session; the phone app sends
 * `Authorization: Bearer <token>`. Either way the user is read through the actor cache (which
 * every change to a user clears after its commit, and which falls back to the database when
 * Redis fails) and the session's version compared with theirs, so disabling a user or ending
 * their sessions takes effect on their next request.
 */
export async function createApiContext(services: ApiServices, request: ApiRequest): Promise<ApiContext> {
  const { headers } = request;
  const meta: RequestMeta = {
    requestId: headers.get("x-request-id")?.slice(0, 64) ?? randomUUID(),
    ip: resolveClientAddress({
      headers,
      trustedProxyHops: request.trustedProxyHops ?? 0,
      peerAddress: request.peerAddress,
    }),
    userAgent: headers.get("user-agent"),
  };
  const actorCache = actorCacheOf(services);
  const bearer = /^Bearer (\S+)$/.exec(headers.get("authorization") ?? "")?.[1];
  if (bearer) {
    const found = await findActorByBearerToken(services.db, bearer, { actorCache });
    return { ...services, meta, actor: found?.actor ?? null, mobileSessionId: found?.sessionId ?? null };
  }
  const actor = request.session ? await findSessionActor(services.db, request.session, actorCache) : null;
  return { ...services, meta, actor, mobileSessionId: null };
}
