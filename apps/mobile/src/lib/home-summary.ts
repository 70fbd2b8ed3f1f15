import type { LocalState } from "@/sync/engine";
import type { LocalAlarm, LocalData, LocalFridge, LocalShipment } from "@/sync/local-store";
import type { SyncAction } from "@/sync/types";
import { type Trend, trendOf } from "./fridge-trend";
import { type StockItem, stockItemsOf } from "./local-stock";

/** A fridge's alarm as the home screen shows it: still going, or over but not yet acknowledged. */
export interface FridgeAlarm {
  type: LocalAlarm["type"];
  phase: "ongoing" | "needsAcknowledgement";
}

export interface HomeFridge {
  fridge: LocalFridge;
  trend: Trend;
  alarm: FridgeAlarm | null;
}

export interface HomeSummary {
  fridges: HomeFridge[];
  stockOut: StockItem[];
  belowMin: StockItem[];
  /** Items with usable doses expiring soon, or doses already unusable that wait to be discarded. */
  expiring: StockItem[];
  shipmentsOnTheWay: LocalShipment[];
  waiting: number;
}

/** Ids of the shipments a waiting action receives: they are received on the phone, not on the way. */
function receivedOnPhone(queued: readonly SyncAction[]): Set<number> {
  const ids = new Set<number>();
  for (const action of queued) if (action.kind === "distribution.receiveShipment") ids.add(action.input.shipmentId);
  return ids;
}

/** Dispatched shipments to the facility that no waiting action has received yet, oldest first. */
export function shipmentsOnTheWay(data: LocalData, queued: readonly SyncAction[]): LocalShipment[] {
  const received = receivedOnPhone(queued);
  return Object.values(data.shipments)
    .filter((shipment) => shipment.status === "dispatched" && !received.has(shipment.id))
    .sort((a, b) => (a.dispatchedAt ?? "").localeCompare(b.dispatchedAt ?? "") || a.id - b.id);
}

/** The alarm that matters most for a fridge: one still going before one over but unacknowledged. */
export function fridgeAlarmOf(alarms: readonly LocalAlarm[], equipmentId: number): FridgeAlarm | null {
  const own = alarms.filter((alarm) => alarm.equipmentId === equipmentId);
  const ongoing = own.find(
    (alarm) => alarm.endedAt === null && (alarm.status === "open" || alarm.status === "acknowledged"),
  );
  if (ongoing) return { type: ongoing.type, phase: "ongoing" };
  const unacknowledged = own.find((alarm) => alarm.status === "open");
  return unacknowledged ? { type: unacknowledged.type, phase: "needsAcknowledgement" } : null;
}

/** Everything the home screen shows, from what the phone holds. */
export function homeSummaryOf(local: LocalState, now: Date): HomeSummary {
  const { data } = local;
  const alarms = Object.values(data.alarms);
  const items = stockItemsOf(data, local.balances, now);
  return {
    fridges: data.fridges.map((fridge) => ({
      fridge,
      trend: trendOf(fridge.latest, fridge.earlier),
      alarm: fridgeAlarmOf(alarms, fridge.equipmentId),
    })),
    stockOut: items.filter((item) => item.status === "stock_out"),
    belowMin: items.filter((item) => item.status === "below_min"),
    expiring: items.filter((item) => item.expiringSoon > 0 || item.unusableStock > 0),
    shipmentsOnTheWay: shipmentsOnTheWay(data, local.queued),
    waiting: local.queued.length,
  };
}
