import {
  isAdjustmentDirectionAllowed,
  isAdministeredWithinOpened,
  isExpired,
  isVvmUsable,
  isWholeVials,
  vialsToDoses,
  ZUsageLineSchema,
} from "@rantai/core/rules";
import type { LocalAlarm, LocalBalance, LocalData } from "./local-store";
import type { RejectionReason, SyncAction } from "./types";

/** The server's reasons, and the phone's own when it cannot check an action at all. */
export type LocalRejectionReason = RejectionReason | "sync.facility_unknown";

/** A lot as the screens show it: the pulled balance less what queued actions have taken or set. */
export interface ShownBalance extends LocalBalance {
  /** Doses the queued actions change, not yet confirmed by the server (negative: taken). */
  pendingDoses: number;
}

/** Refused on the phone before it is queued, with the server's reason code and figures. */
export class LocalRejection extends Error {
  constructor(
    readonly reason: LocalRejectionReason,
    readonly params: Record<string, string | number> = {},
  ) {
    super(reason);
    this.name = "LocalRejection";
  }
}

function dosesPerVialOf(data: LocalData, itemId: number): number | null {
  return data.reference?.items.find((item) => item.id === itemId)?.dosesPerVial ?? null;
}

type Change = { batchId: number; doses: number } | { batchId: number; setTo: number };

/**
 * What an action does to the facility's lots, as far as the phone can know it. A shipment
 * received adds stock the phone cannot count (its lines were not pulled), and a request moves
 * none: both show once the server has applied them and the next pull brings the entries.
 */
function changesOf(data: LocalData, action: SyncAction): Change[] {
  const perVial = (batchId: number) => {
    const balance = data.balances[String(batchId)];
    return balance ? dosesPerVialOf(data, balance.itemId) : null;
  };
  switch (action.kind) {
    case "stock.recordUsage":
      return action.input.lines.flatMap((line) => {
        const per = perVial(line.batchId);
        return per === null ? [] : [{ batchId: line.batchId, doses: -vialsToDoses(line.vialsOpened, per) }];
      });
    case "stock.recordDiscard":
      return action.input.lines.flatMap((line) => {
        const per = perVial(line.batchId);
        return per === null ? [] : [{ batchId: line.batchId, doses: -vialsToDoses(line.vials, per) }];
      });
    case "stock.recordAdjustment":
      return [{ batchId: action.input.batchId, doses: action.input.doses }];
    case "stock.recordStockCount":
      return action.input.lines.map((line) => ({ batchId: line.batchId, setTo: line.countedDoses }));
    case "distribution.receiveShipment":
    case "distribution.createRequest":
    case "coldchain.acknowledgeAlarm":
      return [];
  }
}

/** The balances shown: pulled balances with the queued actions applied in order. */
export function shownBalances(data: LocalData, queued: readonly SyncAction[]): ShownBalance[] {
  const shown = new Map<number, ShownBalance>();
  for (const balance of Object.values(data.balances)) {
    shown.set(balance.batchId, { ...balance, pendingDoses: 0 });
  }
  for (const action of queued) {
    for (const change of changesOf(data, action)) {
      const lot = shown.get(change.batchId);
      if (!lot) continue;
      const quantity = "setTo" in change ? change.setTo : lot.quantity + change.doses;
      shown.set(change.batchId, { ...lot, quantity, pendingDoses: lot.pendingDoses + quantity - lot.quantity });
    }
  }
  return [...shown.values()].sort((a, b) => a.batchId - b.batchId);
}

/** An alarm as the screens show it: pulled, with an acknowledgement the server has not confirmed yet. */
export interface ShownAlarm extends LocalAlarm {
  /** Acknowledged on this phone, not yet brought back by a pull. */
  pendingAcknowledgement: boolean;
}

/**
 * The facility's alarms, newest first, each acknowledged at once when a queued (or applied but
 * not yet pulled) action acknowledges it: staff see their answer without waiting for the signal.
 * A live alarm becomes "acknowledged"; an ended one keeps its status, as on the server.
 */
export function shownAlarms(data: LocalData, pending: readonly SyncAction[]): ShownAlarm[] {
  const shown = new Map<number, ShownAlarm>();
  for (const alarm of Object.values(data.alarms)) shown.set(alarm.id, { ...alarm, pendingAcknowledgement: false });
  for (const action of pending) {
    if (action.kind !== "coldchain.acknowledgeAlarm") continue;
    const alarm = shown.get(action.input.alarmId);
    if (!alarm || alarm.acknowledgedAt !== null) continue;
    shown.set(alarm.id, {
      ...alarm,
      status: alarm.status === "open" ? "acknowledged" : alarm.status,
      acknowledgedAt: new Date(action.clientTime).toISOString(),
      acknowledgementComment: action.input.comment,
      pendingAcknowledgement: true,
    });
  }
  return [...shown.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id);
}

/**
 * Checks an action with the server's own rules against the shown state before it is queued, so
 * staff hear at once what the server would refuse. Lots the phone has not pulled yet are left to
 * the server. The server decides in the end: stock may move before the action arrives.
 */
export function checkAction(data: LocalData, queued: readonly SyncAction[], action: SyncAction, now: Date): void {
  const lots = new Map(shownBalances(data, queued).map((lot) => [lot.batchId, lot]));
  const itemName = (itemId: number) => data.reference?.items.find((item) => item.id === itemId)?.name ?? "";
  const requireUsable = (batchId: number) => {
    const lot = lots.get(batchId);
    if (lot && (isExpired(lot.expiryDate, now) || !isVvmUsable(lot.vvmStage))) {
      throw new LocalRejection("stock.lot_unusable", { batchId, lotNumber: lot.lotNumber });
    }
  };
  const requireWhole = (batchId: number, doses: number) => {
    const lot = lots.get(batchId);
    const per = lot ? dosesPerVialOf(data, lot.itemId) : null;
    if (lot && per !== null && !isWholeVials(doses, per)) {
      throw new LocalRejection("stock.not_whole_vials", { batchId, doses, dosesPerVial: per });
    }
  };
  // The kind's own rules first, then the stock: the order in which the server refuses.
  switch (action.kind) {
    case "stock.recordUsage":
      for (const line of action.input.lines) {
        if (!ZUsageLineSchema.safeParse(line).success) throw new LocalRejection("input.invalid");
        requireUsable(line.batchId);
        const lot = lots.get(line.batchId);
        const per = lot ? dosesPerVialOf(data, lot.itemId) : null;
        if (per !== null && !isAdministeredWithinOpened(line.dosesAdministered, line.vialsOpened, per)) {
          throw new LocalRejection("stock.doses_exceed_opened", {
            batchId: line.batchId,
            dosesAdministered: line.dosesAdministered,
            openedDoses: vialsToDoses(line.vialsOpened, per),
          });
        }
      }
      break;
    case "stock.recordAdjustment":
      if (!isAdjustmentDirectionAllowed(action.input.reason, action.input.doses)) {
        throw new LocalRejection("stock.adjustment_direction", {
          batchId: action.input.batchId,
          reason: action.input.reason,
          doses: action.input.doses,
        });
      }
      requireWhole(action.input.batchId, action.input.doses);
      break;
    case "stock.recordStockCount":
      for (const line of action.input.lines) requireWhole(line.batchId, line.countedDoses);
      break;
    case "coldchain.acknowledgeAlarm": {
      // As the server refuses it: an alarm is acknowledged once, and a withdrawn one not at all.
      const alarm = shownAlarms(data, queued).find((shown) => shown.id === action.input.alarmId);
      if (alarm?.status === "retracted") throw new LocalRejection("coldchain.alarm_retracted");
      if (alarm && alarm.acknowledgedAt !== null) throw new LocalRejection("coldchain.alarm_already_acknowledged");
      break;
    }
    default:
      break;
  }
  for (const change of changesOf(data, action)) {
    const lot = lots.get(change.batchId);
    if (!lot || "setTo" in change || change.doses >= 0) continue;
    if (lot.quantity + change.doses < 0) {
      throw new LocalRejection("stock.insufficient", {
        batchId: lot.batchId,
        lotNumber: lot.lotNumber,
        itemName: itemName(lot.itemId),
        availableDoses: lot.quantity,
        neededDoses: -change.doses,
      });
    }
  }
}
