"use client";

import { defaultLocale, isLocale, localeCookieName, messages } from "@rantai/ui/i18n";
import { createTranslator } from "next-intl";

/** The language cookie (kept in step with the user's choice), since no provider survives here. */
function cookieLocale() {
  const value = document.cookie
    .split("; ")
    .find((entry) => entry.startsWith(`${localeCookieName}=`))
    ?.slice(localeCookieName.length + 1);
  return isLocale(value) ? value : defaultLocale;
}

/** Replaces the root layout when that itself fails; it must bring its own html, body and language. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const locale = typeof document === "undefined" ? defaultLocale : cookieLocale();
  const t = createTranslator({ locale, messages: messages[locale] });
  return (
    <html lang={locale}>
      <body>
        <title>{t("meta.titleTemplate", { page: t("meta.pages.error") })}</title>
        <main>
          <h1>{t("errorPage.title")}</h1>
          <p>
            {t("errorPage.body")}
            {error.digest ? ` ${t("errorPage.reference", { reference: error.digest })}` : ""}
          </p>
          <button type="button" onClick={reset}>
            {t("common.tryAgain")}
          </button>
        </main>
      </body>
    </html>
  );
}
