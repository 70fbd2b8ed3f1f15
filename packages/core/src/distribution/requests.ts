import { items, notificationOutbox, type OrgUnit, stockRequestLines, stockRequests } from "@rantai/db";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import { insertId } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { runIdempotent } from "../kernel/idempotency";
import { hasDistinct, MAX_LINE_DOSES, ZIdempotencyKeySchema, ZIdSchema } from "../kernel/schemas";
import { idempotentCall } from "../stock/mutation";
import { requireWholeVials } from "../stock/quantities";
import { getStockSummary } from "../stock/summary";
import { requireCounterpart } from "./supply-routes";

/** AMC window used for the suggestions on a request, in months. */
export const REQUEST_AMC_MONTHS = 3;

export const ZCreateRequestSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  requesterOrgUnitId: ZIdSchema,
  /** Defaults to the requester's parent store; otherwise a store linked to supply it. */
  supplierOrgUnitId: ZIdSchema.optional(),
  /** Quantities to ask for; when left out, every item with a suggested order is requested at that suggestion. */
  lines: z
    .array(z.strictObject({ itemId: ZIdSchema, requestedDoses: z.number().int().positive().max(MAX_LINE_DOSES) }))
    .min(1)
    .max(100)
    .refine(hasDistinct("itemId"), { error: "each item may appear only once" })
    .optional(),
});
export type TCreateRequest = z.infer<typeof ZCreateRequestSchema>;

export type RequestLine = {
  itemId: number;
  stockOnHand: number;
  averageMonthlyConsumption: number;
  suggestedDoses: number;
  requestedDoses: number;
};
export type CreatedRequest = {
  requestId: number;
  status: "submitted";
  requesterOrgUnitId: number;
  supplierOrgUnitId: number;
  lines: RequestLine[];
};

/**
 * Pull distribution: a store asks its supplier for stock. Each line keeps the figures behind the
 * suggestion (usable SOH and AMC at the time; suggested = max(0, max × AMC − SOH) when months of
 * stock ≤ min, see stock/indicators.ts), so the supplier sees why the quantity was asked for.
 */
export async function createRequest(ctx: DomainContext, requester: OrgUnit, input: TCreateRequest) {
  const action = "distribution.createRequest";
  const supplierId = input.supplierOrgUnitId ?? requester.parentId;
  if (supplierId === null) {
    throw new AppError(
      "distribution.no_parent_store",
      `${requester.name} has no parent store. Choose the store that supplies it.`,
    );
  }
  const { counterpart: supplier } = await requireCounterpart(ctx, requester, supplierId, ["return"], action);
  return runIdempotent(ctx.db, idempotentCall(ctx, action, input), async (tx): Promise<CreatedRequest> => {
    const summary = await getStockSummary(tx, requester, REQUEST_AMC_MONTHS);
    const figures = new Map(summary.items.map((item) => [item.itemId, item]));
    const wanted =
      input.lines ??
      summary.items
        .filter((item) => item.suggestedOrderDoses > 0)
        .map((item) => ({ itemId: item.itemId, requestedDoses: item.suggestedOrderDoses }));
    if (wanted.length === 0) {
      throw new AppError(
        "distribution.nothing_to_order",
        "Nothing needs ordering: no item is at or below its minimum stock. Enter the quantities to request anyway.",
      );
    }
    const catalogue = await tx
      .select({ id: items.id, itemName: items.name, dosesPerVial: items.dosesPerVial, active: items.active })
      .from(items)
      .where(
        inArray(
          items.id,
          wanted.map((line) => line.itemId),
        ),
      );
    const lines: RequestLine[] = wanted.map((line) => {
      const item = catalogue.find((candidate) => candidate.id === line.itemId);
      if (!item?.active) throw new AppError("stock.item_unknown", `There is no active item with id ${line.itemId}.`);
      requireWholeVials(line.requestedDoses, item);
      const figure = figures.get(line.itemId);
      return {
        itemId: line.itemId,
        stockOnHand: figure?.usableStock ?? 0,
        averageMonthlyConsumption: figure?.averageMonthlyConsumption ?? 0,
        suggestedDoses: figure?.suggestedOrderDoses ?? 0,
        requestedDoses: line.requestedDoses,
      };
    });
    const requestId = insertId(
      await tx.insert(stockRequests).values({
        requesterOrgUnitId: requester.id,
        supplierOrgUnitId: supplier.id,
        status: "submitted",
        idempotencyKey: input.idempotencyKey,
        createdBy: ctx.actor.userId,
        submittedAt: new Date(),
      }),
    );
    await tx.insert(stockRequestLines).values(lines.map((line) => ({ ...line, requestId })));
    const created: CreatedRequest = {
      requestId,
      status: "submitted",
      requesterOrgUnitId: requester.id,
      supplierOrgUnitId: supplier.id,
      lines,
    };
    await tx.insert(notificationOutbox).values({
      kind: "stock_request_submitted",
      orgUnitId: supplier.id,
      aggregateType: "stock_request",
      aggregateId: String(requestId),
      eventKey: `stock_request:${requestId}:submitted`,
      payload: { ...created, requesterName: requester.name },
    });
    await recordChange(tx, ctx, {
      action,
      entityType: "stock_request",
      entityId: requestId,
      orgUnitId: requester.id,
      operation: "create",
      payload: created,
    });
    return created;
  });
}
