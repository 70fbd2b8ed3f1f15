import type { Database } from "@rantai/db";
import type { Actor } from "../auth/actor";
import type { RequestMeta } from "../auth/audit";

/**
 * What a stock or distribution domain function runs with. `db` is the database itself (not a
 * transaction): mutations open their own transaction so that idempotency, the ledger, the audit
 * log and the outbox commit together, and refusals are audited outside it (a rollback would
 * otherwise erase them). The tRPC context fits this shape, so routers pass `ctx` as is.
 */
export interface StockContext {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
}
