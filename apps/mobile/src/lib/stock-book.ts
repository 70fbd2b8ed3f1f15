import {
  daysUntilExpiry,
  isExpired,
  isVvmUsable,
  monthsOfStock,
  suggestedOrderDoses,
  usableDoses,
} from "@rantai/core/rules";
import type { LocalState } from "../sync/engine";
import type { LocalRequest } from "../sync/local-store";
import type { ShownBalance } from "../sync/optimistic";
import type { RejectedAction, SyncAction } from "../sync/types";

/**
 * The stock book's figures as the phone shows them offline: the shown balances (pulled, less what
 * is queued) with each lot's item, the differences of a count, and a request's suggested order,
 * all with the server's own rules from `@rantai/core/rules`.
 */

export interface BookLot extends ShownBalance {
  itemName: string;
  itemCode: string;
  dosesPerVial: number;
  vials: number;
  daysUntilExpiry: number;
  /** Not expired and before the VVM discard point: may still be given. */
  usable: boolean;
}

/** The lots in stock, by item name then earliest expiry, as a shelf is read. */
export function lotsInStock(local: Pick<LocalState, "balances" | "data">, now: Date): BookLot[] {
  const items = new Map((local.data.reference?.items ?? []).map((item) => [item.id, item]));
  return local.balances
    .filter((lot) => lot.quantity > 0)
    .map((lot) => {
      const item = items.get(lot.itemId);
      const dosesPerVial = Math.max(1, item?.dosesPerVial ?? 1);
      return {
        ...lot,
        itemName: item?.name ?? "",
        itemCode: item?.code ?? "",
        dosesPerVial,
        vials: Math.floor(lot.quantity / dosesPerVial),
        daysUntilExpiry: daysUntilExpiry(lot.expiryDate, now),
        usable: !isExpired(lot.expiryDate, now) && isVvmUsable(lot.vvmStage),
      };
    })
    .sort(
      (a, b) =>
        a.itemName.localeCompare(b.itemName) || a.expiryDate.localeCompare(b.expiryDate) || a.batchId - b.batchId,
    );
}

const WHOLE_NUMBER = /^\d{1,7}$/;

/** A number field's text: a whole number, nothing entered yet, or something that is not one. */
export function parseWholeNumber(text: string): number | "empty" | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return "empty";
  return WHOLE_NUMBER.test(trimmed) ? Number(trimmed) : "invalid";
}

export interface CountedLot {
  lot: BookLot;
  /** Null until a valid number of vials is entered. */
  countedDoses: number | null;
  /** Counted less shown; 0 until counted. */
  differenceDoses: number;
  invalid: boolean;
}

/** Each lot with the vials entered for it and the difference from what the phone shows. */
export function countedLots(lots: readonly BookLot[], vialsEntered: Readonly<Record<number, string>>): CountedLot[] {
  return lots.map((lot) => {
    const parsed = parseWholeNumber(vialsEntered[lot.batchId] ?? "");
    const countedDoses = typeof parsed === "number" ? parsed * lot.dosesPerVial : null;
    return {
      lot,
      countedDoses,
      differenceDoses: countedDoses === null ? 0 : countedDoses - lot.quantity,
      invalid: parsed === "invalid",
    };
  });
}

export interface RequestLine {
  itemId: number;
  itemName: string;
  itemCode: string;
  dosesPerVial: number;
  usableDoses: number;
  averageMonthlyConsumption: number;
  monthsOfStock: number | null;
  minMonths: number | null;
  maxMonths: number | null;
  /** The server's rule (`suggestedOrderDoses`); 0 while the figures have not been pulled. */
  suggestedDoses: number;
}

/**
 * Per active vaccine: usable stock as shown, the average monthly consumption and min/max months
 * the server sent, and the suggested order the server itself would compute from them.
 */
export function requestLines(local: Pick<LocalState, "balances" | "data">, now: Date): RequestLine[] {
  const figures = new Map((local.data.itemFigures ?? []).map((row) => [row.itemId, row]));
  return (local.data.reference?.items ?? [])
    .filter((item) => item.kind === "vaccine")
    .map((item) => {
      const usable = usableDoses(
        local.balances.filter((lot) => lot.itemId === item.id),
        now,
      );
      const figure = figures.get(item.id);
      const amc = figure?.averageMonthlyConsumption ?? 0;
      return {
        itemId: item.id,
        itemName: item.name,
        itemCode: item.code,
        dosesPerVial: item.dosesPerVial,
        usableDoses: usable,
        averageMonthlyConsumption: amc,
        monthsOfStock: monthsOfStock(usable, amc),
        minMonths: figure?.minMonths ?? null,
        maxMonths: figure?.maxMonths ?? null,
        suggestedDoses: figure
          ? suggestedOrderDoses({ stockOnHand: usable, amc, level: figure, dosesPerVial: item.dosesPerVial })
          : 0,
      };
    })
    .sort((a, b) => b.suggestedDoses - a.suggestedDoses || a.itemName.localeCompare(b.itemName));
}

/** A request as the list shows it: sent and known to the server, or still on the phone. */
export type ShownRequest =
  | { state: "pulled"; request: LocalRequest }
  | {
      state: "waiting" | "rejected";
      idempotencyKey: string;
      lines: { itemId: number; requestedDoses: number }[];
      /** Why the server refused it (a rejected one), with its figures. */
      refusal?: { reason: RejectedAction["reason"]; params: Record<string, string | number> };
    };

type RequestAction = Extract<SyncAction, { kind: "distribution.createRequest" }>;
const isRequest = (action: SyncAction): action is RequestAction => action.kind === "distribution.createRequest";

/** The facility's requests: those still on the phone first, then the server's, newest first. */
export function shownRequests(local: Pick<LocalState, "data" | "queued" | "rejected">): ShownRequest[] {
  const onPhone = (state: "waiting" | "rejected", action: RequestAction): ShownRequest => ({
    state,
    idempotencyKey: action.input.idempotencyKey,
    lines: action.input.lines ?? [],
  });
  const waiting = local.queued.filter(isRequest).map((action) => onPhone("waiting", action));
  const rejected = local.rejected.flatMap(({ action, reason, params }) =>
    isRequest(action) ? [{ ...onPhone("rejected", action), refusal: { reason, params } }] : [],
  );
  const pulled = Object.values(local.data.requests)
    .sort((a, b) => b.id - a.id)
    .map((request): ShownRequest => ({ state: "pulled", request }));
  return [...rejected, ...waiting, ...pulled];
}
