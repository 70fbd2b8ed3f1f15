import { type Executor, syncClients, syncPlatforms, syncRejections } from "@rantai/db";
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { affectedRows } from "../kernel/db-errors";
import { AppError, type ErrorReason, errorReasons } from "../kernel/errors";
import { contextLogger } from "../kernel/logger";

/** A phone's sync identity: a random id made on the device at its first sign-in, and what device it is. */
export const ZSyncClientSchema = z.strictObject({
  clientId: z.uuid({ error: "clientId must be a UUID made by the device" }),
  platform: z.enum(syncPlatforms),
  deviceLabel: z.string().trim().max(120).optional(),
});
export type TSyncClient = z.infer<typeof ZSyncClientSchema>;

/** Per client, action numbers start at 1 and grow by one; far above what a phone queues in its life. */
export const ZMutationIdSchema = z.number().int().min(1).max(2_000_000_000);

const otherUserMessage =
  "This phone's sync identity belongs to another user. Sign out and sign in again: the app then starts a new one.";

/** A refusal kept for a client's numbered action, as the phone was told. */
export interface StoredRejection {
  mutationId: number;
  idempotencyKey: string;
  reason: ErrorReason;
  message: string;
  params: Record<string, string | number>;
}

/**
 * Registers a client at its first push (bound to the pushing user) and returns the number of its
 * last settled action. A client id that belongs to another user is refused: a phone signed in as
 * someone else starts a new client, so one user's queue is never settled as another's.
 */
export async function requireSyncClient(ctx: DomainContext, client: TSyncClient): Promise<number> {
  await ctx.db
    .insert(syncClients)
    .values({
      clientId: client.clientId,
      userId: ctx.actor.userId,
      platform: client.platform,
      deviceLabel: client.deviceLabel ?? null,
    })
    .onDuplicateKeyUpdate({ set: { clientId: sql`${syncClients.clientId}` } });
  const progress = await findSyncClientProgress(ctx, client.clientId);
  return progress ?? 0;
}

/**
 * The number of the client's last settled action (0 before its first, also for a client never
 * seen); refused when the client belongs to another user.
 */
export async function findSyncClientProgress(ctx: DomainContext<Executor>, clientId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ userId: syncClients.userId, lastMutationId: syncClients.lastMutationId })
    .from(syncClients)
    .where(eq(syncClients.clientId, clientId))
    .limit(1);
  if (!row) return 0;
  if (row.userId !== ctx.actor.userId) {
    contextLogger({ requestId: ctx.meta.requestId, actorId: ctx.actor.userId }).warn(
      { clientId, ownerId: row.userId },
      "sync_client_other_user",
    );
    throw new AppError("sync.client_other_user", otherUserMessage);
  }
  return row.lastMutationId;
}

/**
 * Moves the client's last settled action from `mutationId - 1` to `mutationId`, guarded so that of
 * two requests settling the same number only one moves it. False when it had moved already.
 */
export async function advanceSyncClient(db: Executor, clientId: string, mutationId: number): Promise<boolean> {
  const result = await db
    .update(syncClients)
    .set({ lastMutationId: mutationId })
    .where(and(eq(syncClients.clientId, clientId), eq(syncClients.lastMutationId, mutationId - 1)));
  return affectedRows(result) === 1;
}

/**
 * Settles a refused action: records the refusal and moves the client past it in one small
 * transaction, so the queue never blocks on it and a resend gets the same refusal. False when the
 * number was settled meanwhile by another request (its outcome stands).
 */
export async function recordSyncRejection(
  db: Executor,
  clientId: string,
  kind: string,
  rejection: StoredRejection,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await advanceSyncClient(tx, clientId, rejection.mutationId))) return false;
    await tx.insert(syncRejections).values({ clientId, kind, ...rejection, message: rejection.message.slice(0, 500) });
    return true;
  });
}

/** The refusals recorded for a client's actions numbered after `after` up to `through`, oldest first. */
export async function findSyncRejections(
  db: Executor,
  clientId: string,
  range: { after: number; through: number; limit: number },
): Promise<StoredRejection[]> {
  const rows = await db
    .select({
      mutationId: syncRejections.mutationId,
      idempotencyKey: syncRejections.idempotencyKey,
      reason: syncRejections.reason,
      message: syncRejections.message,
      params: syncRejections.params,
    })
    .from(syncRejections)
    .where(
      and(
        eq(syncRejections.clientId, clientId),
        gt(syncRejections.mutationId, range.after),
        lte(syncRejections.mutationId, range.through),
      ),
    )
    .orderBy(asc(syncRejections.mutationId))
    .limit(range.limit);
  return rows.map((row) => ({
    ...row,
    reason: isErrorReason(row.reason) ? row.reason : "internal",
    // MariaDB stores JSON as LONGTEXT, so the driver hands back the text.
    params: ZRejectionParamsSchema.parse(typeof row.params === "string" ? JSON.parse(row.params) : row.params),
  }));
}

const isErrorReason = (reason: string): reason is ErrorReason => Object.hasOwn(errorReasons, reason);

const ZRejectionParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
