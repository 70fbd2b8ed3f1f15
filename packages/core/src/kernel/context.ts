import type { Database, Executor, Role } from "@rantai/db";

/** The signed-in person a request acts for, with the org unit that bounds what they may see and do. */
export interface Actor {
  userId: number;
  name: string;
  email: string;
  role: Role;
  locale: "id" | "en";
  orgUnitId: number;
  orgUnitName: string;
  /** Materialized path of the user's org unit; everything whose path starts with it is in scope. */
  orgUnitPath: string;
  /** The user's session version; a session issued under another one is no longer valid. */
  sessionVersion: number;
}

/** Who asked, from where: carried into the audit log and the logs of one request or message. */
export interface RequestMeta {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * What every domain function runs with: the database (or a transaction, for the functions that
 * run inside one: `DomainContext<Executor>`), the actor and the request's meta. Mutations take
 * the database itself and open their own transaction, so that idempotency, the ledger, the audit
 * log and the outbox commit together and refusals are audited outside it (a rollback would
 * otherwise erase them). The tRPC context fits this shape, so routers pass `ctx` as is.
 */
export interface DomainContext<Db extends Executor = Database> {
  db: Db;
  actor: Actor;
  meta: RequestMeta;
}
