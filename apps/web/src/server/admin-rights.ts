import "server-only";
import type { Actor } from "@rantai/core/auth";
import { holdsRight, outranks, roleLevels } from "@rantai/core/kernel";
import { roles } from "@rantai/db";

/**
 * What the administration pages may offer the signed-in user, from the one table of rights
 * (kernel/authorization). The pages show everything to every role; actions appear only where
 * the API would accept them, and the API checks again on every request.
 */
export function adminRightsOf(actor: Actor) {
  return {
    manageUsers: holdsRight(actor.role, "auth.users.manage"),
    manageFacilities: holdsRight(actor.role, "orgs.manage"),
    manageEquipment: holdsRight(actor.role, "coldchain.equipment.manage"),
    manageSensors: holdsRight(actor.role, "coldchain.sensors.manage"),
    /** The roles this user may grant (below their own), with the unit levels each belongs at. */
    grantableRoles: roles
      .filter((role) => outranks(actor.role, role))
      .map((role) => ({ role, levels: [...roleLevels[role]] })),
    ownUserId: actor.userId,
  };
}
export type AdminRights = ReturnType<typeof adminRightsOf>;
