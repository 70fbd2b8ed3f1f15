import type { AppRouter } from "@rantai/api";
import { isTRPCClientError } from "@trpc/client";
import { useCallback } from "react";
import { useTranslations } from "use-intl";
import { config } from "@/config";
import { errorReasonOf } from "@/lib/error-reason";

/**
 * What to tell staff about a failed call, in their language: the catalog's message for the
 * server's reason (`data.reason`), never the server's English text. An answer with no reason we
 * know (a newer server) gets the generic message; no answer at all means the connection.
 */
export function useErrorMessage(): (error: unknown) => string {
  const t = useTranslations();
  return useCallback(
    (error: unknown) => {
      if (isTRPCClientError<AppRouter>(error)) {
        // Without a tRPC error shape the request never got a proper answer (offline, wrong
        // URL, CORS, a proxy's error page); all staff can do is check the connection.
        if (!error.shape) return t("mobile.errors.unreachable", { url: config.apiUrl });
        const reason = errorReasonOf(error);
        const key = reason === null ? null : (`errors.${reason}` as const);
        return key !== null && t.has(key) ? t(key) : t("errors.internal");
      }
      // Local failures, e.g. the secure store refusing to save the token.
      return error instanceof Error ? t("mobile.errors.device", { detail: error.message }) : t("mobile.errors.unknown");
    },
    [t],
  );
}
