import { type Executor, type OrgUnit, orgUnits, supplyLinks } from "@rantai/db";
import { and, eq, or } from "drizzle-orm";
import { isPathInScope, refuse } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { AppError } from "../kernel/errors";

/**
 * Stock moves only along supply links: a store supplies its children, plus any extra
 * `supply_links` row. Down a link is a transfer; back up one (to the store's supplier) is a return.
 */
export type RouteKind = "transfer" | "return";

export async function findRoute(db: Executor, sender: OrgUnit, receiver: OrgUnit): Promise<RouteKind | null> {
  if (sender.id === receiver.id) return null;
  if (receiver.parentId === sender.id) return "transfer";
  if (sender.parentId === receiver.id) return "return";
  const links = await db
    .select({ supplierId: supplyLinks.supplierOrgUnitId })
    .from(supplyLinks)
    .where(
      or(
        and(eq(supplyLinks.supplierOrgUnitId, sender.id), eq(supplyLinks.receiverOrgUnitId, receiver.id)),
        and(eq(supplyLinks.supplierOrgUnitId, receiver.id), eq(supplyLinks.receiverOrgUnitId, sender.id)),
      ),
    );
  if (links.some((link) => link.supplierId === sender.id)) return "transfer";
  return links.length > 0 ? "return" : null;
}

/**
 * The other party of a transfer or request (a nested id): it must exist, be active, and be
 * linked to `from` in the expected way. An unknown id, or an unlinked one outside the actor's
 * scope, is refused like any out-of-scope id (audited, nothing revealed); an unlinked unit the
 * actor can see gets a plain explanation instead.
 */
export async function requireCounterpart(
  request: DomainContext<Executor>,
  from: OrgUnit,
  counterpartId: number,
  allowed: readonly RouteKind[],
  action: string,
): Promise<{ counterpart: OrgUnit; kind: RouteKind }> {
  const [counterpart] = await request.db.select().from(orgUnits).where(eq(orgUnits.id, counterpartId)).limit(1);
  if (!counterpart?.active) return refuse(request, action, { entityType: "org_unit", entityId: counterpartId });
  const kind = await findRoute(request.db, from, counterpart);
  if (kind && allowed.includes(kind)) return { counterpart, kind };
  if (!isPathInScope(request.actor.orgUnitPath, counterpart.path)) {
    return refuse(request, action, { entityType: "org_unit", entityId: counterpartId });
  }
  const missing =
    allowed.length > 1
      ? `There is no supply link between ${from.name} and ${counterpart.name}.`
      : allowed[0] === "transfer"
        ? `${from.name} does not supply ${counterpart.name}.`
        : `${counterpart.name} does not supply ${from.name}.`;
  throw new AppError(
    "distribution.no_supply_link",
    `${missing} Stock moves only along supply links; ask your administrator to add one if it is needed.`,
  );
}
