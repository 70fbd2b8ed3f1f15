"use client";

import { type Locale, localeCookieName, locales } from "@rantai/ui/locales";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useTransition } from "react";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";

/** A year: the language outlives sessions, so the sign-in page after sign-out speaks it too. */
const cookieMaxAgeSeconds = 365 * 24 * 3600;

function rememberLocale(locale: Locale) {
  // biome-ignore lint/suspicious/noDocumentCookie: one plain preference cookie; the Cookie Store API is not in every browser the offices use
  document.cookie = `${localeCookieName}=${locale}; path=/; max-age=${cookieMaxAgeSeconds}; samesite=lax`;
}

/**
 * The language choice. Signed in, it is stored on the user (`auth.setLocale`) and the page is
 * rendered anew in it; on the sign-in page it is kept in a cookie until the user signs in.
 */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const t = useTranslations("language");
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const [refreshing, startRefresh] = useTransition();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const save = useMutation(trpc.auth.setLocale.mutationOptions());

  // Signed in, the user's stored language wins: the cookie follows it for the next sign-in page.
  useEffect(() => {
    if (signedIn) rememberLocale(locale);
  }, [signedIn, locale]);

  async function choose(next: Locale) {
    if (signedIn) {
      await save.mutateAsync({ locale: next });
      await queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
    }
    rememberLocale(next);
    startRefresh(() => router.refresh());
  }

  return (
    <span className="language-switch">
      <label htmlFor={id}>{t("label")}</label>{" "}
      <select
        id={id}
        value={locale}
        disabled={save.isPending || refreshing}
        onChange={(event) => void choose(event.target.value as Locale).catch(() => undefined)}
        data-testid="language-switch"
      >
        {locales.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(option)}
          </option>
        ))}
      </select>
      {save.error ? (
        <span className="error" role="alert">
          {errorMessage(save.error)} {t("saveFailed")}
        </span>
      ) : null}
    </span>
  );
}
