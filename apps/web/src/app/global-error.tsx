"use client";

import type { Messages } from "@rantai/ui/i18n";
import { defaultLocale, isLocale, localeCookieName } from "@rantai/ui/locales";
import { createTranslator } from "next-intl";
import { useEffect, useState } from "react";

/** The language cookie (kept in step with the user's choice), since no provider survives here. */
function cookieLocale() {
  const value = document.cookie
    .split("; ")
    .find((entry) => entry.startsWith(`${localeCookieName}=`))
    ?.slice(localeCookieName.length + 1);
  return isLocale(value) ? value : defaultLocale;
}

/**
 * Replaces the root layout when that itself fails; it must bring its own html, body and language.
 * Every page's first load carries this component, so the catalog (both languages) is fetched
 * only when the page is actually shown (a moment's blank page, in the rare case it is).
 */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const locale = typeof document === "undefined" ? defaultLocale : cookieLocale();
  const [messages, setMessages] = useState<Messages | null>(null);
  useEffect(() => {
    let current = true;
    void import("@rantai/ui/i18n")
      .then((catalog) => {
        if (current) setMessages(catalog.messages[locale]);
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [locale]);
  const t = messages ? createTranslator({ locale, messages }) : null;
  return (
    <html lang={locale}>
      <body>
        {t ? <title>{t("meta.titleTemplate", { page: t("meta.pages.error") })}</title> : null}
        <main>
          {t ? (
            <>
              <h1>{t("errorPage.title")}</h1>
              <p>
                {t("errorPage.body")}
                {error.digest ? ` ${t("errorPage.reference", { reference: error.digest })}` : ""}
              </p>
              <button type="button" onClick={reset}>
                {t("common.tryAgain")}
              </button>
            </>
          ) : null}
        </main>
      </body>
    </html>
  );
}
