import { useMemo } from "react";
import { type Lot, lotsOf, type StockItem, stockItemsOf } from "@/lib/local-stock";
import { useSync } from "@/sync/sync-provider";
import { useNow } from "./use-now";

/** Usability and expiry change by the day; a minute is fine enough to follow midnight. */
const DAY_CHECK_MS = 60_000;

/** The facility's stock book as the phone holds it (pulled, less what waits to be sent). */
export function useStockBook(): { items: StockItem[]; lots: Lot[] } {
  const { local } = useSync();
  const now = useNow(DAY_CHECK_MS);
  return useMemo(() => {
    if (!local) return { items: [], lots: [] };
    const at = new Date(now);
    return { items: stockItemsOf(local.data, local.balances, at), lots: lotsOf(local.data, local.balances, at) };
  }, [local, now]);
}
