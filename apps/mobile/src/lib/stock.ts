import {
  isAdministeredWithinOpened,
  MAX_VIALS_PER_USAGE_LINE,
  type StockStatus,
  vialsToDoses,
  ZUsageLineSchema,
} from "@rantai/core/rules";
import type { Lot } from "./local-stock";

/**
 * The usage form's checks: the server's own rules (`@rantai/core/rules`) applied while staff type,
 * offline too. The server still decides (stock may move before the action arrives), and its
 * reason is shown, translated, when it refuses.
 * Problems are catalog keys under `mobile.usage.check` with their values, worded by the screen.
 */

/** The same tones as the console's stock table, so both apps colour a status alike. */
export const stockStatusTones: Record<StockStatus, "ok" | "warm" | "cold" | "unknown"> = {
  stock_out: "warm",
  below_min: "warm",
  normal: "ok",
  above_max: "cold",
  unknown: "unknown",
};

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

/** What is wrong with a session's numbers: a message of `mobile.usage.check` and its values. */
export type UsageProblem =
  | { key: "vialsNotWhole" }
  | { key: "vialsOverStock"; values: { vials: number; lot: string } }
  | { key: "vialsAtLeastOne" }
  | { key: "vialsAtMost"; values: { max: number } }
  | { key: "dosesNotWhole" }
  | { key: "dosesOverOpened"; values: { vials: number; opened: number } };

export type UsageCheck =
  | { ok: true; vialsOpened: number; dosesAdministered: number }
  | { ok: false; vialsError: UsageProblem | null; dosesError: UsageProblem | null };

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

  let vialsError: UsageProblem | null = null;
  if (vialsText !== "" && vials === null) vialsError = { key: "vialsNotWhole" };
  else if (vials !== null && vials > lot.vials) {
    vialsError = { key: "vialsOverStock", values: { vials: lot.vials, lot: lot.lotNumber } };
  } else if (vials !== null && !vialsValid) {
    vialsError =
      vials < 1 ? { key: "vialsAtLeastOne" } : { key: "vialsAtMost", values: { max: MAX_VIALS_PER_USAGE_LINE } };
  }

  let dosesError: UsageProblem | null = null;
  if (dosesText !== "" && doses === null) dosesError = { key: "dosesNotWhole" };
  else if (
    doses !== null &&
    vials !== null &&
    vialsValid &&
    !isAdministeredWithinOpened(doses, vials, lot.dosesPerVial)
  ) {
    const opened = vialsToDoses(vials, lot.dosesPerVial);
    dosesError = { key: "dosesOverOpened", values: { vials, opened } };
  }

  if (vials === null || doses === null || vialsError || dosesError) return { ok: false, vialsError, dosesError };
  return { ok: true, vialsOpened: vials, dosesAdministered: doses };
}
