import { type OrgUnitLevel, type Role, roles } from "@rantai/db";

/**
 * Every right an actor may hold, named after the bounded context it belongs to. A right says
 * what kind of thing an actor may do; where they may do it is their scope (their org unit and
 * everything under it), checked for every target by `authorize`.
 */
export const rights = [
  "orgs.read",
  "stock.read",
  "stock.write",
  "distribution.read",
  "distribution.write",
  "coldchain.read",
  "coldchain.sensors.manage",
  "coldchain.alarms.acknowledge",
  "auth.users.manage",
] as const;
export type Right = (typeof rights)[number];

/**
 * Which role holds which right: the one table. Typed so that a new role or a new right does not
 * compile until it is placed in every row. Viewers only read; facility staff keep stock and
 * acknowledge alarms at their facility but neither manage sensors (a device credential opens
 * the broker) nor administer users; officers and the national admin do everything in scope.
 */
export const roleRights = {
  national_admin: {
    "orgs.read": true,
    "stock.read": true,
    "stock.write": true,
    "distribution.read": true,
    "distribution.write": true,
    "coldchain.read": true,
    "coldchain.sensors.manage": true,
    "coldchain.alarms.acknowledge": true,
    "auth.users.manage": true,
  },
  province_officer: {
    "orgs.read": true,
    "stock.read": true,
    "stock.write": true,
    "distribution.read": true,
    "distribution.write": true,
    "coldchain.read": true,
    "coldchain.sensors.manage": true,
    "coldchain.alarms.acknowledge": true,
    "auth.users.manage": true,
  },
  district_officer: {
    "orgs.read": true,
    "stock.read": true,
    "stock.write": true,
    "distribution.read": true,
    "distribution.write": true,
    "coldchain.read": true,
    "coldchain.sensors.manage": true,
    "coldchain.alarms.acknowledge": true,
    "auth.users.manage": true,
  },
  facility_staff: {
    "orgs.read": true,
    "stock.read": true,
    "stock.write": true,
    "distribution.read": true,
    "distribution.write": true,
    "coldchain.read": true,
    "coldchain.sensors.manage": false,
    "coldchain.alarms.acknowledge": true,
    "auth.users.manage": false,
  },
  viewer: {
    "orgs.read": true,
    "stock.read": true,
    "stock.write": false,
    "distribution.read": true,
    "distribution.write": false,
    "coldchain.read": true,
    "coldchain.sensors.manage": false,
    "coldchain.alarms.acknowledge": false,
    "auth.users.manage": false,
  },
} as const satisfies Record<Role, Record<Right, boolean>>;

export function holdsRight(role: Role, right: Right): boolean {
  return roleRights[role][right];
}

/** The roles holding a right, in the order roles are declared. */
export function rolesHolding(right: Right): readonly Role[] {
  return roles.filter((role) => holdsRight(role, right));
}

/**
 * Rank for user administration: officers administer only users of a lower rank, so one officer
 * cannot take over a peer's account by resetting its password; the national admin administers
 * everyone in scope. Viewers and facility staff hold no `auth.users.manage` right at all.
 */
const roleRank = {
  national_admin: 4,
  province_officer: 3,
  district_officer: 2,
  facility_staff: 1,
  viewer: 1,
} as const satisfies Record<Role, number>;

/** Whether a user of role `actor` may administer a user of role `target` (or grant that role). */
export function outranks(actor: Role, target: Role): boolean {
  return actor === "national_admin" || roleRank[target] < roleRank[actor];
}

/** The org unit level each role belongs at; a viewer may watch any level. */
export const roleLevels: Readonly<Record<Role, readonly OrgUnitLevel[]>> = {
  national_admin: ["national"],
  province_officer: ["province"],
  district_officer: ["district"],
  facility_staff: ["facility"],
  viewer: ["national", "province", "district", "facility"],
};
