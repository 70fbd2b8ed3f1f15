"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";

/**
 * What to tell the user about a failed call, in their language: the message for the error's
 * machine-readable reason (`data.reason`, set by the API for every error), never the server's
 * English text. No reason means the server was not reached; an unknown one (a newer server)
 * gets the generic message.
 */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations("errors");
  return useCallback(
    (error: unknown) => {
      const data = typeof error === "object" && error !== null && "data" in error ? error.data : undefined;
      const reason = typeof data === "object" && data !== null && "reason" in data ? data.reason : undefined;
      if (typeof reason !== "string") return t("network");
      const key = reason as Parameters<typeof t>[0];
      return t.has(key) ? t(key) : t("internal");
    },
    [t],
  );
}
