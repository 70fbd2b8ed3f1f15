import type { ErrorReason } from "@rantai/api";
import { useCallback } from "react";
import { useTranslations } from "use-intl";
import { LocalRejection } from "@/sync/optimistic";
import { useErrorMessage } from "./use-error-message";

/**
 * What to tell staff when the phone refuses an action before queuing it: the server's reason,
 * worded by the catalog (with the lot's figures when stock is short), never the code itself.
 */
export function useRejectionMessage(): (error: unknown) => string {
  const t = useTranslations();
  const describeError = useErrorMessage();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof LocalRejection)) return describeError(error);
      const { reason, params } = error;
      if (reason === "stock.insufficient") {
        return t("mobile.stockbook.rejected.insufficient", {
          lot: String(params.lotNumber ?? ""),
          available: Number(params.availableDoses ?? 0),
          needed: Number(params.neededDoses ?? 0),
        });
      }
      // The phone's reasons are the server's; one this build has no words for gets the generic message.
      const key = `errors.${reason}` as `errors.${ErrorReason}`;
      return t.has(key) ? t(key) : t("errors.internal");
    },
    [t, describeError],
  );
}
