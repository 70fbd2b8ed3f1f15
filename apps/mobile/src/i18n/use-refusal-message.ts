import { useCallback } from "react";
import { useTranslations } from "use-intl";
import type { LocalRejectionReason } from "../sync/optimistic";
import { refusalMessageOf } from "./refusal-message";

/** Why an action was refused and what to do, in the user's language (see refusalMessageOf). */
export function useRefusalMessage(): (reason: LocalRejectionReason) => string {
  const t = useTranslations();
  return useCallback(
    (reason: LocalRejectionReason) => {
      const { key } = refusalMessageOf(reason);
      // A reason this build does not know (a newer server) gets the generic message.
      return t.has(key) ? t(key) : t("errors.internal");
    },
    [t],
  );
}
