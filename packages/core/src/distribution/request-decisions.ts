import { items, notificationOutbox, stockRequestLines, stockRequests, type Transaction } from "@rantai/db";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { affectedRows } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, MAX_LINE_DOSES, ZIdempotencyKeySchema, ZIdSchema, ZNoteSchema } from "../kernel/schemas";
import { idempotentCall } from "../stock/mutation";
import { requireWholeVials } from "../stock/quantities";
import type { RequestWithParties } from "./access";

type RequestStatus = (typeof stockRequests.$inferSelect)["status"];

export const ZApproveRequestSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  requestId: ZIdSchema,
  /** Edited quantities; items left out are approved as requested. 0 refuses an item. */
  lines: z
    .array(z.strictObject({ itemId: ZIdSchema, approvedDoses: z.number().int().nonnegative().max(MAX_LINE_DOSES) }))
    .max(100)
    .refine(hasDistinct("itemId"), { error: "each item may appear only once" })
    .optional(),
});
export type TApproveRequest = z.infer<typeof ZApproveRequestSchema>;

export type ApprovedRequest = {
  requestId: number;
  status: "approved";
  lines: { itemId: number; requestedDoses: number; approvedDoses: number }[];
};

/** The supplier approves a submitted request, editing quantities if needed; shipments then fulfil it. */
export async function approveRequest(ctx: DomainContext, found: RequestWithParties, input: TApproveRequest) {
  const action = "distribution.approveRequest";
  const { request } = found;
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<ApprovedRequest> => {
    await moveRequestStatus(tx, request.id, "approved", { decidedBy: ctx.actor.userId, decidedAt: new Date() });
    const lines = await tx
      .select({
        id: stockRequestLines.id,
        itemId: stockRequestLines.itemId,
        itemName: items.name,
        dosesPerVial: items.dosesPerVial,
        requestedDoses: stockRequestLines.requestedDoses,
      })
      .from(stockRequestLines)
      .innerJoin(items, eq(items.id, stockRequestLines.itemId))
      .where(eq(stockRequestLines.requestId, request.id));
    const edits = new Map((input.lines ?? []).map((line) => [line.itemId, line.approvedDoses]));
    const stray = [...edits.keys()].find((itemId) => !lines.some((line) => line.itemId === itemId));
    if (stray !== undefined)
      throw new AppError("distribution.item_not_in_request", `Item ${stray} is not part of request ${request.id}.`);
    const decided: ApprovedRequest["lines"] = [];
    for (const line of lines) {
      const approvedDoses = edits.get(line.itemId) ?? line.requestedDoses;
      requireWholeVials(approvedDoses, line);
      await tx.update(stockRequestLines).set({ approvedDoses }).where(eq(stockRequestLines.id, line.id));
      decided.push({ itemId: line.itemId, requestedDoses: line.requestedDoses, approvedDoses });
    }
    const result: ApprovedRequest = { requestId: request.id, status: "approved", lines: decided };
    await announceDecision(tx, ctx, action, found, result);
    return result;
  });
}

export const ZRejectRequestSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  requestId: ZIdSchema,
  reason: ZNoteSchema,
});
export type TRejectRequest = z.infer<typeof ZRejectRequestSchema>;

export type RejectedRequest = { requestId: number; status: "rejected"; reason: string };

/** The supplier rejects a submitted request, saying why. */
export async function rejectRequest(ctx: DomainContext, found: RequestWithParties, input: TRejectRequest) {
  const action = "distribution.rejectRequest";
  const { request } = found;
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<RejectedRequest> => {
    await moveRequestStatus(tx, request.id, "rejected", {
      decidedBy: ctx.actor.userId,
      decidedAt: new Date(),
      rejectionReason: input.reason,
    });
    const result: RejectedRequest = { requestId: request.id, status: "rejected", reason: input.reason };
    await announceDecision(tx, ctx, action, found, result);
    return result;
  });
}

/** A decision, told to the requester (notification) and to the change log, in the deciding transaction. */
async function announceDecision(
  tx: Transaction,
  ctx: DomainContext,
  action: string,
  found: RequestWithParties,
  result: ApprovedRequest | RejectedRequest,
): Promise<void> {
  const { request, requester, supplier } = found;
  await notifyRequester(tx, request.id, requester.id, result.status, { ...result, supplierName: supplier.name });
  await recordChange(tx, ctx, {
    action,
    entityType: "stock_request",
    entityId: request.id,
    orgUnitId: supplier.id,
    operation: "update",
    payload: result,
  });
}

/** Decides a request once: a guarded UPDATE from `submitted`, so two officers cannot both decide it. */
async function moveRequestStatus(
  tx: Transaction,
  requestId: number,
  to: RequestStatus,
  set: { decidedBy: number; decidedAt: Date; rejectionReason?: string },
): Promise<void> {
  const moved = affectedRows(
    await tx
      .update(stockRequests)
      .set({ ...set, status: to })
      .where(and(eq(stockRequests.id, requestId), eq(stockRequests.status, "submitted"))),
  );
  if (moved === 1) return;
  const [current] = await tx
    .select({ status: stockRequests.status })
    .from(stockRequests)
    .where(eq(stockRequests.id, requestId));
  throw new AppError(
    "distribution.request_not_pending",
    `Request ${requestId} is already ${current?.status ?? "gone"}; it cannot be ${to} now.`,
  );
}

async function notifyRequester(
  tx: Transaction,
  requestId: number,
  requesterId: number,
  decision: "approved" | "rejected",
  payload: { [key: string]: unknown },
) {
  await tx.insert(notificationOutbox).values({
    kind: `stock_request_${decision}`,
    orgUnitId: requesterId,
    aggregateType: "stock_request",
    aggregateId: String(requestId),
    eventKey: `stock_request:${requestId}:${decision}`,
    payload,
  });
}
