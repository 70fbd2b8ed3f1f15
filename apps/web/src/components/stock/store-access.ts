import type { RouterOutputs } from "@rantai/api";

type Rights = RouterOutputs["auth"]["me"]["rights"];

/**
 * What the store page offers the signed-in user, from the rights the API checks (`auth.me`
 * carries them from the one table in core). The API decides and refuses anything else; this only
 * keeps a user from being shown forms they may not submit.
 */
export function storeAccessOf(rights: Rights) {
  return {
    /** Receiving a shipment (`distribution.receiveShipment`). */
    receive: rights.includes("distribution.write"),
    /** Adjusting, discarding and counting stock. */
    writeStock: rights.includes("stock.write"),
    manageLevels: rights.includes("stock.levels.manage"),
  };
}
export type StoreAccess = ReturnType<typeof storeAccessOf>;
