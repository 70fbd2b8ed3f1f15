import { useCallback } from "react";
import { useTranslations } from "use-intl";
import { config } from "@/config";
import { errorMessageOf } from "./error-message";

/** What to tell staff about a failed call, in their language (see errorMessageOf). */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations();
  return useCallback(
    (error: unknown) => {
      const message = errorMessageOf(error, config.apiUrl);
      if ("values" in message) return t(message.key, message.values);
      // A reason this build does not know (a newer server) gets the generic message.
      return t.has(message.key) ? t(message.key) : t("errors.internal");
    },
    [t],
  );
}
