import { z } from "zod";
import {
  acknowledgeAlarmOnce,
  type PublishAlarmNotices,
  requireAlarmInScope,
  ZAcknowledgeAlarmOnceSchema,
} from "../coldchain/alarms";
import {
  createRequest,
  receiveShipment,
  requireShipmentAccess,
  ZCreateRequestSchema,
  ZReceiveShipmentSchema,
} from "../distribution";
import { authorizeOrgUnit, refuse } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { AppError, type ErrorReason } from "../kernel/errors";
import { observeIdempotency } from "../kernel/idempotency";
import type { JsonValue } from "../kernel/json";
import { contextLogger } from "../kernel/logger";
import { ZIdSchema, ZOccurredAtSchema } from "../kernel/schemas";
import {
  recordAdjustment,
  recordDiscard,
  recordStockCount,
  recordUsage,
  ZRecordAdjustmentSchema,
  ZRecordDiscardSchema,
  ZRecordStockCountSchema,
  ZRecordUsageSchema,
} from "../stock";

/** The most actions one push may carry; a longer queue is sent in several pushes, in order. */
export const MAX_SYNC_ACTIONS = 500;

/**
 * One action queued on a phone: the online procedure it stands for (`kind`, the procedure's own
 * name), that procedure's input unchanged (with its idempotency key) and when the user did it.
 */
export const ZSyncActionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("stock.recordUsage"), clientTime: ZOccurredAtSchema, input: ZRecordUsageSchema }),
  z.strictObject({
    kind: z.literal("stock.recordAdjustment"),
    clientTime: ZOccurredAtSchema,
    input: ZRecordAdjustmentSchema,
  }),
  z.strictObject({
    kind: z.literal("stock.recordDiscard"),
    clientTime: ZOccurredAtSchema,
    input: ZRecordDiscardSchema,
  }),
  z.strictObject({
    kind: z.literal("stock.recordStockCount"),
    clientTime: ZOccurredAtSchema,
    input: ZRecordStockCountSchema,
  }),
  z.strictObject({
    kind: z.literal("distribution.receiveShipment"),
    clientTime: ZOccurredAtSchema,
    input: ZReceiveShipmentSchema,
  }),
  z.strictObject({
    kind: z.literal("distribution.createRequest"),
    clientTime: ZOccurredAtSchema,
    input: ZCreateRequestSchema,
  }),
  z.strictObject({
    kind: z.literal("coldchain.acknowledgeAlarm"),
    clientTime: ZOccurredAtSchema,
    input: ZAcknowledgeAlarmOnceSchema,
  }),
]);
export type TSyncAction = z.infer<typeof ZSyncActionSchema>;

/** A batch of one facility's queued actions, oldest first; each key appears once. */
export const ZSyncPushSchema = z.strictObject({
  orgUnitId: ZIdSchema,
  actions: z
    .array(ZSyncActionSchema)
    .min(1)
    .max(MAX_SYNC_ACTIONS)
    .refine((actions) => new Set(actions.map((action) => action.input.idempotencyKey)).size === actions.length, {
      error: "each action needs its own idempotencyKey",
    }),
});
export type TSyncPush = z.infer<typeof ZSyncPushSchema>;

/**
 * What became of one action:
 * - `applied`: applied now, with the result the online procedure returns;
 * - `duplicate`: applied by an earlier push (the key was seen), with the same stored result;
 * - `rejected`: refused for good (stock too low, lot unusable, shipment already received…), with
 *   the stable reason and its figures; the phone shows it and the queue goes on. Nothing of it
 *   was kept (not even its key): a corrected action is a new one, with a new key;
 * - `deferred`: not attempted or not finished for a passing reason (the stock was busy, the same
 *   key is still being saved); the phone sends it, and everything after it, again later.
 */
export type TSyncActionResult =
  | { idempotencyKey: string; status: "applied" | "duplicate"; result: JsonValue }
  | {
      idempotencyKey: string;
      status: "rejected" | "deferred";
      reason: ErrorReason;
      message: string;
      params: Record<string, string | number>;
    };
export type TSyncPushResult = { results: TSyncActionResult[] };

/** Reasons that say "try again", not "this can never apply": the push stops there and keeps the order. */
const passingReasons: ReadonlySet<ErrorReason> = new Set(["stock.busy", "idempotency.in_progress"]);

/**
 * Applies a facility's queued actions in order, each through the same domain function as its
 * online procedure (its own transaction and idempotency key), so a replayed push applies nothing
 * twice and returns the stored results. A rejected action does not stop the rest: later actions
 * of a nurse's day rarely depend on an earlier refused one, and the server's rules decide anyway.
 * A passing failure stops the batch (the rest is `deferred`) so the order stays as the user acted.
 * Any other error aborts the push: what was applied stays applied, and a resend replays it.
 * The caller has authorized `stock.write` on `input.orgUnitId`; `publishAlarmNotices` tells the
 * live alarm inboxes of an acknowledgement once it is committed.
 */
export async function pushSyncActions(
  ctx: DomainContext,
  input: TSyncPush,
  options: { publishAlarmNotices?: PublishAlarmNotices } = {},
): Promise<TSyncPushResult> {
  const results: TSyncActionResult[] = [];
  let stopped: AppError | null = null;
  for (const action of input.actions) {
    const idempotencyKey = action.input.idempotencyKey;
    if (stopped) {
      results.push(failure(idempotencyKey, "deferred", stopped));
      continue;
    }
    try {
      const { result, replayed } = await observeIdempotency(() => applyAction(ctx, input.orgUnitId, action, options));
      results.push({ idempotencyKey, status: replayed ? "duplicate" : "applied", result });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (passingReasons.has(error.reason)) {
        stopped = error;
        results.push(failure(idempotencyKey, "deferred", error));
      } else {
        results.push(failure(idempotencyKey, "rejected", error));
      }
      // A business rejection is an answer, not a failure of the push; the log keeps it for support.
      contextLogger({ requestId: ctx.meta.requestId, actorId: ctx.actor.userId }).info(
        { kind: action.kind, idempotencyKey, reason: error.reason, orgUnitId: input.orgUnitId },
        passingReasons.has(error.reason) ? "sync_action_deferred" : "sync_action_rejected",
      );
    }
  }
  return { results };
}

function failure(idempotencyKey: string, status: "rejected" | "deferred", error: AppError): TSyncActionResult {
  return { idempotencyKey, status, reason: error.reason, message: error.message, params: { ...error.params } };
}

/** One action, authorized as its online procedure is, and bound to the pushing facility. */
async function applyAction(
  ctx: DomainContext,
  orgUnitId: number,
  action: TSyncAction,
  options: { publishAlarmNotices?: PublishAlarmNotices },
): Promise<JsonValue> {
  switch (action.kind) {
    case "stock.recordUsage":
      await requireSameFacility(ctx, action.kind, orgUnitId, action.input.orgUnitId);
      return recordUsage(ctx, { ...action.input, occurredAt: action.input.occurredAt ?? action.clientTime });
    case "stock.recordAdjustment":
      await requireSameFacility(ctx, action.kind, orgUnitId, action.input.orgUnitId);
      return recordAdjustment(ctx, { ...action.input, occurredAt: action.input.occurredAt ?? action.clientTime });
    case "stock.recordDiscard":
      await requireSameFacility(ctx, action.kind, orgUnitId, action.input.orgUnitId);
      return recordDiscard(ctx, { ...action.input, occurredAt: action.input.occurredAt ?? action.clientTime });
    case "stock.recordStockCount":
      await requireSameFacility(ctx, action.kind, orgUnitId, action.input.orgUnitId);
      return recordStockCount(ctx, { ...action.input, occurredAt: action.input.occurredAt ?? action.clientTime });
    case "distribution.receiveShipment": {
      const access = { action: action.kind, side: "receiver", write: true } as const;
      const found = await requireShipmentAccess(ctx, action.input.shipmentId, access);
      if (found.receiver.id !== orgUnitId) {
        await refuse(ctx, action.kind, { entityType: "shipment", entityId: action.input.shipmentId });
      }
      return receiveShipment(ctx, found, action.input);
    }
    case "distribution.createRequest": {
      await requireSameFacility(ctx, action.kind, orgUnitId, action.input.requesterOrgUnitId);
      const requester = await authorizeOrgUnit(ctx, "distribution.write", action.kind, orgUnitId);
      return createRequest(ctx, requester, action.input);
    }
    case "coldchain.acknowledgeAlarm": {
      const right = "coldchain.alarms.acknowledge";
      const alarm = await requireAlarmInScope(ctx, action.input.alarmId, action.kind, right);
      if (alarm.alarm.facilityId !== orgUnitId) {
        await refuse(ctx, action.kind, { entityType: "alarm", entityId: action.input.alarmId });
      }
      return acknowledgeAlarmOnce(ctx, alarm, action.input, { publish: options.publishAlarmNotices });
    }
  }
}

/**
 * A push speaks for one facility, the one the caller authorized; an action naming another is
 * refused through the one authorization step (audited), whether or not the caller could reach it.
 */
async function requireSameFacility(ctx: DomainContext, action: string, pushed: number, named: number): Promise<void> {
  if (named !== pushed) await refuse(ctx, action, { entityType: "org_unit", entityId: named });
}
