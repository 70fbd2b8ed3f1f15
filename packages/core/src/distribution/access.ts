import { type Executor, type OrgUnit, orgUnits, shipments, stockRequests } from "@rantai/db";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { authorize, holdsRight, isPathInScope, refuse } from "../kernel/authorization";
import type { Actor, DomainContext } from "../kernel/context";

/**
 * A shipment or stock request concerns two stores and is visible to both sides only. Changes are
 * reserved to one side (the sender dispatches, the receiver receives, the supplier approves) and
 * to roles holding `distribution.write`. An id outside the caller's side is refused like one that
 * does not exist, through the one authorization step: FORBIDDEN, audited.
 */
interface Access<Party extends string> {
  action: string;
  /** Which party must be in the caller's scope ("either" for reading). */
  side: Party | "either";
  /** A change (`distribution.write`), or reading (`distribution.read`). */
  write: boolean;
}

function authorizeSide<Row, Party extends string>(
  request: DomainContext<Executor>,
  access: Access<Party>,
  entity: { entityType: string; entityId: number },
  row: Row | undefined,
  parties: (row: Row) => Record<Party, OrgUnit>,
): Promise<Row> {
  const right = access.write ? "distribution.write" : "distribution.read";
  return authorize(request, right, access.action, entity, row, (found) => {
    const units = parties(found);
    return (access.side === "either" ? Object.values<OrgUnit>(units) : [units[access.side]]).map((unit) => unit.path);
  });
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
  return authorizeSide(request, access, { entityType: "shipment", entityId: shipmentId }, row, (found) => ({
    sender: found.sender,
    receiver: found.receiver,
  }));
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
  return authorizeSide(request, access, { entityType: "stock_request", entityId: requestId }, row, (found) => ({
    requester: found.requester,
    supplier: found.supplier,
  }));
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
  await refuse(request, action, { entityType: "stock_request", entityId: requestId });
}

/**
 * Whether the actor may change things on one side of a request or shipment: the same rule the
 * mutations enforce (the right, the side in scope), told to the client so it offers only the
 * actions that would be allowed — a viewer sees the page with no action on it.
 */
export function mayActFor(actor: Actor, side: OrgUnit): boolean {
  return holdsRight(actor.role, "distribution.write") && isPathInScope(actor.orgUnitPath, side.path);
}
