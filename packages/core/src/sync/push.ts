import { z } from "zod";
import type { DomainContext } from "../kernel/context";
import { AppError, type ErrorReason } from "../kernel/errors";
import { KeyNotStored, observeIdempotency } from "../kernel/idempotency";
import type { JsonValue } from "../kernel/json";
import { contextLogger } from "../kernel/logger";
import { ZIdSchema } from "../kernel/schemas";
import {
  type ApplySyncOptions,
  applySyncAction,
  type TSyncPushedAction,
  ZSyncPushedActionSchema,
} from "./apply-action";
import {
  advanceSyncClient,
  findSyncRejections,
  recordSyncRejection,
  requireSyncClient,
  ZSyncClientSchema,
} from "./clients";

/** The most actions one push may carry; a longer queue is sent in several pushes, in order. */
export const MAX_SYNC_ACTIONS = 500;

/** A batch of one facility's queued actions from one client, oldest first; each key and number appears once. */
export const ZSyncPushSchema = z.strictObject({
  orgUnitId: ZIdSchema,
  client: ZSyncClientSchema,
  actions: z
    .array(ZSyncPushedActionSchema)
    .min(1)
    .max(MAX_SYNC_ACTIONS)
    .refine((actions) => new Set(actions.map((action) => action.input.idempotencyKey)).size === actions.length, {
      error: "each action needs its own idempotencyKey",
    })
    .refine(
      (actions) =>
        actions.every((action, index) => index === 0 || action.mutationId > (actions[index - 1]?.mutationId ?? 0)),
      {
        error: "actions go oldest first, each numbered after the one before",
      },
    ),
});
export type TSyncPush = z.infer<typeof ZSyncPushSchema>;

/**
 * What became of one action:
 * - `applied`: applied now, with the result the online procedure returns;
 * - `duplicate`: settled by an earlier push (its number is at or below the client's last, or its
 *   key was seen), with the same stored result;
 * - `rejected`: refused for good (stock too low, lot unusable, shipment already received…), with
 *   the stable reason and its figures; the phone shows it and the queue goes on. The refusal is
 *   recorded against its number (a resend gets it again); its key stays free, and a corrected
 *   action is a new one, with a new key and number;
 * - `deferred`: not attempted or not finished for a passing reason (the stock was busy, the same
 *   key is still being saved) or because actions before it never arrived (`sync.mutation_gap`:
 *   `params.expectedMutationId` is the number to send again from); the phone sends it, and
 *   everything after it, again later.
 */
export type TSyncActionResult =
  | { idempotencyKey: string; mutationId: number; status: "applied" | "duplicate"; result: JsonValue }
  | {
      idempotencyKey: string;
      mutationId: number;
      status: "rejected" | "deferred";
      reason: ErrorReason;
      message: string;
      params: Record<string, string | number>;
    };
/** The results in the order sent, and the number of the client's last settled action after them. */
export type TSyncPushResult = { lastMutationId: number; results: TSyncActionResult[] };

type Failure = Pick<AppError, "reason" | "message" | "params">;

/** Reasons that say "try again", not "this can never apply": the push stops there and keeps the order. */
const passingReasons: ReadonlySet<ErrorReason> = new Set(["stock.busy", "idempotency.in_progress"]);

/** The client's number moved while this action's effects were being written: another request settled it. */
class SettledMeanwhile extends Error {}

/**
 * Applies a client's queued actions in order, each through the same domain function as its online
 * procedure (its own transaction and idempotency key). The client's actions are numbered; only the
 * next number (last + 1) is applied, and the client's last number moves in the transaction of the
 * action's effects, so a crash anywhere leaves effects and number together. A number at or below
 * the last is answered from what was stored (result or refusal), applying nothing; one beyond
 * last + 1 means actions are missing, and it and the rest are deferred with the number to resend
 * from. A refused action moves the number too (recorded, in its own small transaction): later
 * actions of a nurse's day rarely depend on an earlier refused one, and the server's rules decide.
 * A passing failure stops the batch (the rest is `deferred`) so the order stays as the user acted.
 * Any other error aborts the push: what was applied stays applied, and a resend replays it.
 * The caller has authorized `stock.write` on `input.orgUnitId`.
 */
export async function pushSyncActions(
  ctx: DomainContext,
  input: TSyncPush,
  options: ApplySyncOptions = {},
): Promise<TSyncPushResult> {
  const clientId = input.client.clientId;
  let last = await requireSyncClient(ctx, input.client);
  const results: TSyncActionResult[] = [];
  let stopped: Failure | null = null;
  for (const action of input.actions) {
    if (!stopped && action.mutationId > last + 1) {
      stopped = new AppError(
        "sync.mutation_gap",
        `Actions before this one never arrived. Send again from action ${last + 1}.`,
        { params: { expectedMutationId: last + 1, lastMutationId: last } },
      );
    }
    if (stopped) {
      results.push(failure(action, "deferred", stopped));
      continue;
    }
    const settle = action.mutationId <= last ? replaySettled : settleNext;
    const result = await settle(ctx, input.orgUnitId, clientId, action, options);
    results.push(result);
    if (result.status === "deferred") stopped = result;
    else last = Math.max(last, action.mutationId);
  }
  return { lastMutationId: last, results };
}

/** The next action of the client: applied with its number moved in the same transaction, or refused and recorded. */
async function settleNext(
  ctx: DomainContext,
  orgUnitId: number,
  clientId: string,
  action: TSyncPushedAction,
  options: ApplySyncOptions,
): Promise<TSyncActionResult> {
  const { mutationId } = action;
  const idempotencyKey = action.input.idempotencyKey;
  let settledWithEffects = false;
  try {
    const { result, replayed } = await observeIdempotency(() => applySyncAction(ctx, orgUnitId, action, options), {
      afterEffects: async (tx) => {
        if (!(await advanceSyncClient(tx, clientId, mutationId))) throw new SettledMeanwhile();
        settledWithEffects = true;
      },
    });
    // A key applied before this client numbered it (sent online first) wrote nothing now: its
    // number is settled on its own (and so would be that of an effect outside `runIdempotent`).
    if (!settledWithEffects && !(await advanceSyncClient(ctx.db, clientId, mutationId))) {
      return replaySettled(ctx, orgUnitId, clientId, action, options);
    }
    return { idempotencyKey, mutationId, status: replayed ? "duplicate" : "applied", result };
  } catch (error) {
    if (error instanceof SettledMeanwhile) return replaySettled(ctx, orgUnitId, clientId, action, options);
    if (!(error instanceof AppError)) throw error;
    const passing = passingReasons.has(error.reason);
    // A business rejection is an answer, not a failure of the push; the log keeps it for support.
    contextLogger({ requestId: ctx.meta.requestId, actorId: ctx.actor.userId }).info(
      { kind: action.kind, idempotencyKey, mutationId, clientId, reason: error.reason, orgUnitId },
      passing ? "sync_action_deferred" : "sync_action_rejected",
    );
    if (passing) return failure(action, "deferred", error);
    const refusal = {
      mutationId,
      idempotencyKey,
      reason: error.reason,
      message: error.message,
      params: { ...error.params },
    };
    if (!(await recordSyncRejection(ctx.db, clientId, action.kind, refusal))) {
      return replaySettled(ctx, orgUnitId, clientId, action, options);
    }
    return failure(action, "rejected", error);
  }
}

/**
 * An action whose number the client has settled already (a resend after a lost answer): the
 * recorded refusal, or the stored result of its key; nothing is applied. A number settled by
 * another action (another key) is refused as reused.
 */
async function replaySettled(
  ctx: DomainContext,
  orgUnitId: number,
  clientId: string,
  action: TSyncPushedAction,
  options: ApplySyncOptions,
): Promise<TSyncActionResult> {
  const { mutationId } = action;
  const [refusal] = await findSyncRejections(ctx.db, clientId, {
    after: mutationId - 1,
    through: mutationId,
    limit: 1,
  });
  if (refusal && refusal.idempotencyKey === action.input.idempotencyKey) return failure(action, "rejected", refusal);
  if (refusal) return failure(action, "rejected", reusedNumber(mutationId));
  try {
    const { result } = await observeIdempotency(() => applySyncAction(ctx, orgUnitId, action, options), {
      replayOnly: true,
    });
    return { idempotencyKey: action.input.idempotencyKey, mutationId, status: "duplicate", result };
  } catch (error) {
    if (error instanceof KeyNotStored) return failure(action, "rejected", reusedNumber(mutationId));
    if (!(error instanceof AppError)) throw error;
    return failure(action, passingReasons.has(error.reason) ? "deferred" : "rejected", error);
  }
}

function reusedNumber(mutationId: number): AppError {
  return new AppError(
    "sync.mutation_id_reused",
    `Action ${mutationId} of this phone was already settled as another action. Record this one again.`,
    { params: { mutationId } },
  );
}

function failure(action: TSyncPushedAction, status: "rejected" | "deferred", error: Failure): TSyncActionResult {
  return {
    idempotencyKey: action.input.idempotencyKey,
    mutationId: action.mutationId,
    status,
    reason: error.reason,
    message: error.message,
    params: { ...error.params },
  };
}
