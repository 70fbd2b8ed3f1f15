import type { RouterOutputs } from "@rantai/api";
import type { useTRPC } from "~/trpc/react";

export type StoreLot = RouterOutputs["stock"]["listBalances"]["items"][number];

/** Lots read per store: a district store holds a few dozen. */
export const STORE_LOT_LIMIT = 100;
/** Movements shown on the store page; the full stock card is the ledger API's pages. */
const RECENT_MOVEMENTS = 15;
/** Shipments on their way to the store shown at once. */
const INCOMING_LIMIT = 20;

/**
 * What the store page's sections read, in one place: the page waits for all of them before it
 * shows the sections (so none pushes another down as it loads), and each section reads its own
 * from the cache with the same options.
 */
export function storeQueries(trpc: ReturnType<typeof useTRPC>, orgUnitId: number) {
  return {
    summary: trpc.stock.facilitySummary.queryOptions({ orgUnitId }),
    lots: trpc.stock.listBalances.queryOptions({ orgUnitId, limit: STORE_LOT_LIMIT }),
    incoming: trpc.distribution.listShipments.queryOptions({
      orgUnitId,
      direction: "incoming",
      status: "dispatched",
      limit: INCOMING_LIMIT,
    }),
    ledger: trpc.stock.listLedger.queryOptions({ orgUnitId, limit: RECENT_MOVEMENTS }),
  };
}
