import { type OrgUnitLevel, type Role, roles } from "@rantai/db";

/**
 * Every right an actor may hold, named after the bounded context it belongs to. A right says
 * what kind of thing an actor may do; where they may do it is their scope (their org unit and
 * everything under it), checked for every target by `authorize`.
 */
export const rights = [
  "orgs.read",
  "orgs.manage",
  "stock.read",
  "stock.write",
  "stock.levels.manage",
  "distribution.read",
  "distribution.write",
  "coldchain.read",
  "coldchain.sensors.manage",
  "coldchain.equipment.manage",
  "coldchain.alarms.acknowledge",
  "auth.users.read",
  "auth.users.manage",
] as const;
export type Right = (typeof rights)[number];

/** One value per role, in the order `roles` declares them: a new role lengthens every row. */
type PerRole<Value> = OnePer<typeof roles, Value>;
/** A tuple as long as `List`, of `Value`s (a mapped type keeps a tuple a tuple only over a type parameter). */
type OnePer<List extends readonly unknown[], Value> = { readonly [Index in keyof List]: Value };

/**
 * Which role holds which right: the one table. One row per right, one column per role in the
 * order `roles` declares them (national admin, province officer, district officer, facility
 * staff, viewer), typed so that a new right or a new role does not compile until it is placed.
 * Viewers only read (the administration lists too: every role sees the users in its scope);
 * facility staff keep stock and acknowledge alarms at their facility but
 * neither manage sensors (a device credential opens the broker), set min/max levels, nor
 * administer users; officers and the national admin do everything in their scope: they register
 * facilities (`orgs.manage`), fridges and their alarm thresholds (`coldchain.equipment.manage`) there.
 */
export const rightHolders = {
  "orgs.read": [true, true, true, true, true],
  "orgs.manage": [true, true, true, false, false],
  "stock.read": [true, true, true, true, true],
  "stock.write": [true, true, true, true, false],
  "stock.levels.manage": [true, true, true, false, false],
  "distribution.read": [true, true, true, true, true],
  "distribution.write": [true, true, true, true, false],
  "coldchain.read": [true, true, true, true, true],
  "coldchain.sensors.manage": [true, true, true, false, false],
  "coldchain.equipment.manage": [true, true, true, false, false],
  "coldchain.alarms.acknowledge": [true, true, true, true, false],
  "auth.users.read": [true, true, true, true, true],
  "auth.users.manage": [true, true, true, false, false],
} as const satisfies Record<Right, PerRole<boolean>>;

export function holdsRight(role: Role, right: Right): boolean {
  return rightHolders[right][roles.indexOf(role)] === true;
}

/**
 * The rights a role holds, in the order rights are declared: what clients show or hide, so they
 * follow the same table the API checks instead of naming roles.
 */
export function rightsOf(role: Role): readonly Right[] {
  return rights.filter((right) => holdsRight(role, right));
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
const roleRank: Readonly<Record<Role, number>> = {
  national_admin: 4,
  province_officer: 3,
  district_officer: 2,
  facility_staff: 1,
  viewer: 1,
};

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
