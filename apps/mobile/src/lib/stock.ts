import type { RouterOutputs } from "@rantai/api";
import {
  isAdministeredWithinOpened,
  MAX_VIALS_PER_USAGE_LINE,
  vialsToDoses,
  ZUsageLineSchema,
} from "@rantai/core/rules";

/**
 * Stock facts the phone shows, and the server's own rules (`@rantai/core/rules`) applied before
 * asking it, so staff see mistakes while typing, offline too. The server still decides (stock may
 * have moved since the screen loaded), and its message is shown when it refuses.
 */

export type StockItem = RouterOutputs["stock"]["facilitySummary"]["items"][number];
export type StockStatus = StockItem["status"];
export type Lot = RouterOutputs["stock"]["listBalances"]["items"][number];

export const stockStatusLabels: Record<StockStatus, string> = {
  stock_out: "Stock-out",
  below_min: "Below minimum",
  normal: "Normal",
  above_max: "Above maximum",
  unknown: "No consumption yet",
};

/** The same tones as the console's stock table, so both apps colour a status alike. */
export const stockStatusTones: Record<StockStatus, "ok" | "warm" | "cold" | "unknown"> = {
  stock_out: "warm",
  below_min: "warm",
  normal: "ok",
  above_max: "cold",
  unknown: "unknown",
};

export function formatCount(value: number): string {
  return value.toLocaleString("en");
}

export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/**
 * The lots a session may draw from, earliest expiry first (FEFO), so the lot offered first is
 * the one to use first. Expired and VVM-unusable lots are left out: the server refuses them.
 */
export function usableLotsFefo(lots: readonly Lot[]): Lot[] {
  return lots
    .filter((lot) => lot.usable && lot.vials > 0)
    .sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.batchId - b.batchId);
}

export interface UsageDraft {
  vialsOpened: string;
  dosesAdministered: string;
}

export type UsageCheck =
  | { ok: true; vialsOpened: number; dosesAdministered: number }
  | { ok: false; vialsError: string | null; dosesError: string | null };

const WHOLE_NUMBER = /^\d{1,9}$/;

/**
 * Validates a session's numbers against the chosen lot with the rules the server enforces. The
 * text fields are parsed here; empty fields are incomplete rather than wrong, so they carry no
 * message (the submit button stays disabled instead).
 */
export function checkUsage(draft: UsageDraft, lot: Pick<Lot, "vials" | "dosesPerVial" | "lotNumber">): UsageCheck {
  const vialsText = draft.vialsOpened.trim();
  const dosesText = draft.dosesAdministered.trim();
  const vials = WHOLE_NUMBER.test(vialsText) ? Number(vialsText) : null;
  const doses = WHOLE_NUMBER.test(dosesText) ? Number(dosesText) : null;
  const vialsValid = vials !== null && ZUsageLineSchema.shape.vialsOpened.safeParse(vials).success;

  let vialsError: string | null = null;
  if (vialsText !== "" && vials === null) vialsError = "Enter a whole number of vials, such as 2.";
  else if (vials !== null && vials > lot.vials) {
    vialsError = `Only ${plural(lot.vials, "vial", "vials")} of lot ${lot.lotNumber} are in stock.`;
  } else if (vials !== null && !vialsValid) {
    vialsError =
      vials < 1
        ? "A session opens at least 1 vial."
        : `A session opens at most ${plural(MAX_VIALS_PER_USAGE_LINE, "vial", "vials")} of one lot.`;
  }

  let dosesError: string | null = null;
  if (dosesText !== "" && doses === null) dosesError = "Enter a whole number of doses, such as 18.";
  else if (
    doses !== null &&
    vials !== null &&
    vialsValid &&
    !isAdministeredWithinOpened(doses, vials, lot.dosesPerVial)
  ) {
    const opened = vialsToDoses(vials, lot.dosesPerVial);
    dosesError = `${plural(vials, "vial holds", "vials hold")} only ${plural(opened, "dose", "doses")}, so at most ${formatCount(opened)} can have been given.`;
  }

  if (vials === null || doses === null || vialsError || dosesError) return { ok: false, vialsError, dosesError };
  return { ok: true, vialsOpened: vials, dosesAdministered: doses };
}
