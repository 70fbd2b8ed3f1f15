import type { ZodRawShape } from "zod";
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
import type { JsonValue } from "../kernel/json";
import { ZOccurredAtSchema } from "../kernel/schemas";
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
import { ZMutationIdSchema } from "./clients";

/** The actions a phone may queue, each with what every action carries besides (`extra`). */
function syncActionUnion<Extra extends ZodRawShape>(extra: Extra) {
  const common = { ...extra, clientTime: ZOccurredAtSchema };
  return z.discriminatedUnion("kind", [
    z.strictObject({ ...common, kind: z.literal("stock.recordUsage"), input: ZRecordUsageSchema }),
    z.strictObject({ ...common, kind: z.literal("stock.recordAdjustment"), input: ZRecordAdjustmentSchema }),
    z.strictObject({ ...common, kind: z.literal("stock.recordDiscard"), input: ZRecordDiscardSchema }),
    z.strictObject({ ...common, kind: z.literal("stock.recordStockCount"), input: ZRecordStockCountSchema }),
    z.strictObject({ ...common, kind: z.literal("distribution.receiveShipment"), input: ZReceiveShipmentSchema }),
    z.strictObject({ ...common, kind: z.literal("distribution.createRequest"), input: ZCreateRequestSchema }),
    z.strictObject({ ...common, kind: z.literal("coldchain.acknowledgeAlarm"), input: ZAcknowledgeAlarmOnceSchema }),
  ]);
}

/**
 * One action queued on a phone: the online procedure it stands for (`kind`, the procedure's own
 * name), that procedure's input unchanged (with its idempotency key) and when the user did it.
 * Each carries a change (doses used, discarded, counted, received), never a balance to set.
 */
export const ZSyncActionSchema = syncActionUnion({});
export type TSyncAction = z.infer<typeof ZSyncActionSchema>;

/** An action as pushed: numbered by the phone's client, 1, 2, 3… in the order the user acted. */
export const ZSyncPushedActionSchema = syncActionUnion({ mutationId: ZMutationIdSchema });
export type TSyncPushedAction = z.infer<typeof ZSyncPushedActionSchema>;

export interface ApplySyncOptions {
  /** Tells the live alarm inboxes of an acknowledgement once it is committed. */
  publishAlarmNotices?: PublishAlarmNotices;
}

/** One action, authorized as its online procedure is, and bound to the pushing facility. */
export async function applySyncAction(
  ctx: DomainContext,
  orgUnitId: number,
  action: TSyncAction,
  options: ApplySyncOptions = {},
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
