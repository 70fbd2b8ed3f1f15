import {
  type Executor,
  items,
  orgUnits,
  requestStatuses,
  shipmentLines,
  shipments,
  stockRequestLines,
  stockRequests,
} from "@rantai/db";
import { and, asc, desc, eq, lt, sum } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { z } from "zod";
import type { Actor } from "../kernel/context";
import { keysetPage } from "../kernel/pagination";
import { ZIdSchema, ZLimitSchema } from "../kernel/schemas";
import { mayActFor, type RequestWithParties } from "./access";
import { directionFilter, ZDirectionSchema } from "./direction";

export const ZListRequestsSchema = z.strictObject({
  orgUnitId: ZIdSchema.optional(),
  /** outgoing: requests the store made; incoming: requests it is asked to supply. */
  direction: ZDirectionSchema,
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
        directionFilter(
          input.direction,
          { from: stockRequests.requesterOrgUnitId, to: stockRequests.supplierOrgUnitId },
          orgUnitId,
        ),
        input.status === undefined ? undefined : eq(stockRequests.status, input.status),
        input.cursor === undefined ? undefined : lt(stockRequests.id, input.cursor),
      ),
    )
    .orderBy(desc(stockRequests.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, (row) => row.id);
}

/** One request with its lines and the figures behind each suggestion. */
export async function getRequestDetail(db: Executor, actor: Actor, found: RequestWithParties) {
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
  // Several shipments may fulfil one request; the supplier sees what each already carries.
  const fulfilment = await db
    .select({
      id: shipments.id,
      status: shipments.status,
      itemId: shipmentLines.itemId,
      doses: sum(shipmentLines.quantity).mapWith(Number),
    })
    .from(shipments)
    .innerJoin(shipmentLines, eq(shipmentLines.shipmentId, shipments.id))
    .where(eq(shipments.requestId, request.id))
    .groupBy(shipments.id, shipments.status, shipmentLines.itemId)
    .orderBy(asc(shipments.id));
  return {
    id: request.id,
    status: request.status,
    requester: { id: found.requester.id, name: found.requester.name },
    supplier: { id: found.supplier.id, name: found.supplier.name },
    submittedAt: request.submittedAt,
    decidedAt: request.decidedAt,
    rejectionReason: request.rejectionReason,
    lines,
    shipments: fulfilment,
    /** Whether this user may approve, reject and ship it (the supplier's side, with the right). */
    mayDecide: mayActFor(actor, found.supplier),
  };
}
