import { type Executor, items, orgUnits, requestStatuses, stockRequestLines, stockRequests } from "@rantai/db";
import { and, desc, eq, lt, or } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { z } from "zod";
import { ZIdSchema, ZLimitSchema } from "../stock/schemas";
import type { RequestWithParties } from "./access";

export const ZListRequestsSchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  /** outgoing: requests the store made; incoming: requests it is asked to supply. */
  direction: z.enum(["outgoing", "incoming", "both"]).default("both"),
  status: z.enum(requestStatuses).optional(),
  limit: ZLimitSchema,
  /** The smallest request id of the previous page (newest first). */
  cursor: ZIdSchema.optional(),
});
export type TListRequests = z.infer<typeof ZListRequestsSchema>;

const requester = alias(orgUnits, "requester");
const supplier = alias(orgUnits, "supplier");

/** Stock requests made by or to one store, newest first. */
export async function findRequests(db: Executor, orgUnitId: number, input: TListRequests) {
  const sides = {
    outgoing: eq(stockRequests.requesterOrgUnitId, orgUnitId),
    incoming: eq(stockRequests.supplierOrgUnitId, orgUnitId),
    both: or(eq(stockRequests.requesterOrgUnitId, orgUnitId), eq(stockRequests.supplierOrgUnitId, orgUnitId)),
  };
  const rows = await db
    .select({
      id: stockRequests.id,
      status: stockRequests.status,
      requesterOrgUnitId: stockRequests.requesterOrgUnitId,
      requesterName: requester.name,
      supplierOrgUnitId: stockRequests.supplierOrgUnitId,
      supplierName: supplier.name,
      submittedAt: stockRequests.submittedAt,
      decidedAt: stockRequests.decidedAt,
      rejectionReason: stockRequests.rejectionReason,
    })
    .from(stockRequests)
    .innerJoin(requester, eq(requester.id, stockRequests.requesterOrgUnitId))
    .innerJoin(supplier, eq(supplier.id, stockRequests.supplierOrgUnitId))
    .where(
      and(
        sides[input.direction],
        input.status === undefined ? undefined : eq(stockRequests.status, input.status),
        input.cursor === undefined ? undefined : lt(stockRequests.id, input.cursor),
      ),
    )
    .orderBy(desc(stockRequests.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

/** One request with its lines and the figures behind each suggestion. */
export async function getRequestDetail(db: Executor, found: RequestWithParties) {
  const { request } = found;
  const lines = await db
    .select({
      itemId: stockRequestLines.itemId,
      itemName: items.name,
      dosesPerVial: items.dosesPerVial,
      stockOnHand: stockRequestLines.stockOnHand,
      averageMonthlyConsumption: stockRequestLines.averageMonthlyConsumption,
      suggestedDoses: stockRequestLines.suggestedDoses,
      requestedDoses: stockRequestLines.requestedDoses,
      approvedDoses: stockRequestLines.approvedDoses,
    })
    .from(stockRequestLines)
    .innerJoin(items, eq(items.id, stockRequestLines.itemId))
    .where(eq(stockRequestLines.requestId, request.id))
    .orderBy(items.code);
  return {
    id: request.id,
    status: request.status,
    requester: { id: found.requester.id, name: found.requester.name },
    supplier: { id: found.supplier.id, name: found.supplier.name },
    submittedAt: request.submittedAt,
    decidedAt: request.decidedAt,
    rejectionReason: request.rejectionReason,
    lines,
  };
}
