import { type Executor, type OrgUnit, orgUnits, shipments, stockRequests } from "@rantai/db";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import type { DomainContext } from "../kernel/context";
import { isPathInScope } from "../orgs/scope";
import { denyAndAudit, requireWriter } from "../stock/permissions";

/**
 * A shipment or stock request concerns two stores and is visible to both sides only. Changes are
 * reserved to one side (the sender dispatches, the receiver receives, the supplier approves). An
 * id outside the caller's side is refused like one that does not exist: FORBIDDEN, audited.
 */
interface Access<Party extends string> {
  action: string;
  /** Which party must be in the caller's scope ("either" for reading). */
  side: Party | "either";
  /** A change: read-only roles are refused. */
  write: boolean;
}

function canAccess(request: DomainContext<Executor>, parties: Record<string, OrgUnit>, side: string): boolean {
  const units = side === "either" ? Object.values(parties) : [parties[side]];
  return units.some((unit) => unit !== undefined && isPathInScope(request.actor.orgUnitPath, unit.path));
}

/**
 * The shared step of both checks below: writers only for a change (judged at the row's
 * `writerUnitId`), then the asked side must be in scope; otherwise FORBIDDEN and audited, the
 * same as for an id that does not exist. Returns the row once it passes.
 */
async function authorize<Row>(
  request: DomainContext<Executor>,
  access: Access<string>,
  row: Row | undefined,
  sides: (row: Row) => { writerUnitId: number; parties: Record<string, OrgUnit> },
  entity: { entityType: string; entityId: number },
): Promise<Row> {
  const found = row === undefined ? null : sides(row);
  if (access.write) await requireWriter(request, access.action, found?.writerUnitId ?? 0);
  if (row === undefined || !found || !canAccess(request, found.parties, access.side)) {
    return denyAndAudit(request, { action: access.action, ...entity });
  }
  return row;
}

const firstUnit = alias(orgUnits, "first_unit");
const secondUnit = alias(orgUnits, "second_unit");

/** A shipment the caller may see (either side) or act on (the sender or the receiver). */
export async function requireShipmentAccess(
  request: DomainContext<Executor>,
  shipmentId: number,
  access: Access<"sender" | "receiver">,
) {
  const [row] = await request.db
    .select({ shipment: shipments, sender: firstUnit, receiver: secondUnit })
    .from(shipments)
    .innerJoin(firstUnit, eq(firstUnit.id, shipments.senderOrgUnitId))
    .innerJoin(secondUnit, eq(secondUnit.id, shipments.receiverOrgUnitId))
    .where(eq(shipments.id, shipmentId))
    .limit(1);
  return authorize(
    request,
    access,
    row,
    (found) => ({
      writerUnitId: found.shipment.senderOrgUnitId,
      parties: { sender: found.sender, receiver: found.receiver },
    }),
    { entityType: "shipment", entityId: shipmentId },
  );
}
export type ShipmentWithParties = Awaited<ReturnType<typeof requireShipmentAccess>>;

/** A stock request the caller may see (either side) or act on (the requester or the supplier). */
export async function requireRequestAccess(
  request: DomainContext<Executor>,
  requestId: number,
  access: Access<"requester" | "supplier">,
) {
  const [row] = await request.db
    .select({ request: stockRequests, requester: firstUnit, supplier: secondUnit })
    .from(stockRequests)
    .innerJoin(firstUnit, eq(firstUnit.id, stockRequests.requesterOrgUnitId))
    .innerJoin(secondUnit, eq(secondUnit.id, stockRequests.supplierOrgUnitId))
    .where(eq(stockRequests.id, requestId))
    .limit(1);
  return authorize(
    request,
    access,
    row,
    (found) => ({
      writerUnitId: found.request.supplierOrgUnitId,
      parties: { requester: found.requester, supplier: found.supplier },
    }),
    { entityType: "stock_request", entityId: requestId },
  );
}
export type RequestWithParties = Awaited<ReturnType<typeof requireRequestAccess>>;

/** A request a shipment is said to fulfil must be between the same two stores. */
export async function requireRequestBetween(
  request: DomainContext<Executor>,
  requestId: number,
  parties: { supplierId: number; requesterId: number },
  action: string,
): Promise<void> {
  const [row] = await request.db
    .select({ supplier: stockRequests.supplierOrgUnitId, requester: stockRequests.requesterOrgUnitId })
    .from(stockRequests)
    .where(eq(stockRequests.id, requestId))
    .limit(1);
  if (row?.supplier === parties.supplierId && row.requester === parties.requesterId) return;
  await denyAndAudit(request, { action, entityType: "stock_request", entityId: requestId });
}
