import type { LocalData } from "@/sync/local-store";
import type { SyncAction } from "@/sync/types";

/** What an action was, as a message of `mobile.rejected.action` with its values, for the refused list. */
export type ActionDescription =
  | { key: "usage"; values: { vials: number; doses: number; item: string; lot: string } }
  | { key: "receipt"; values: { id: number } }
  | { key: "adjustment"; values: { lot: string; doses: number } }
  | { key: "discard"; values: { count: number } }
  | { key: "count"; values: { count: number } }
  | { key: "request"; values: Record<string, never> }
  | { key: "acknowledgement"; values: Record<string, never> };

/** The lot and item names the phone holds for a batch; null when it holds none (never pulled, or gone since). */
function lotNames(data: LocalData, batchId: number): { item: string; lot: string } | null {
  const balance = data.balances[String(batchId)];
  if (!balance) return null;
  const item = data.reference?.items.find((candidate) => candidate.id === balance.itemId);
  return { item: item?.name ?? "", lot: balance.lotNumber };
}

/**
 * Describes an action in a nurse's terms: what was recorded, of which item and lot. A usage of
 * several lots is described by its first (the phone records one lot per session).
 */
export function describeAction(action: SyncAction, data: LocalData, unknownLot: string): ActionDescription {
  switch (action.kind) {
    case "stock.recordUsage": {
      const [line] = action.input.lines;
      const names = line ? lotNames(data, line.batchId) : null;
      return {
        key: "usage",
        values: {
          vials: line?.vialsOpened ?? 0,
          doses: line?.dosesAdministered ?? 0,
          item: names?.item ?? "",
          lot: names?.lot ?? unknownLot,
        },
      };
    }
    case "distribution.receiveShipment":
      return { key: "receipt", values: { id: action.input.shipmentId } };
    case "stock.recordAdjustment":
      return {
        key: "adjustment",
        values: { lot: lotNames(data, action.input.batchId)?.lot ?? unknownLot, doses: action.input.doses },
      };
    case "stock.recordDiscard":
      return { key: "discard", values: { count: action.input.lines.length } };
    case "stock.recordStockCount":
      return { key: "count", values: { count: action.input.lines.length } };
    case "distribution.createRequest":
      return { key: "request", values: {} };
    case "coldchain.acknowledgeAlarm":
      return { key: "acknowledgement", values: {} };
  }
}
