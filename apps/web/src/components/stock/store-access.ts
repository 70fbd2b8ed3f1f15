import type { RouterOutputs } from "@rantai/api";

type Role = RouterOutputs["auth"]["me"]["role"];

/**
 * What the store page offers a role. The API decides (the rights table in core refuses anything
 * else); this only keeps a viewer from being shown forms it may not submit.
 */
export function storeAccessOf(role: Role) {
  return {
    /** stock.write and distribution.write: everyone but viewers. */
    writeStock: role !== "viewer",
    /** stock.levels.manage: the officers and the national admin. */
    manageLevels: role === "national_admin" || role === "province_officer" || role === "district_officer",
  };
}
