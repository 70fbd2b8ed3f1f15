"use client";

import { useTranslations } from "next-intl";

/**
 * Shown when a page fails to render. The error's text and stack stay on the server (Next sends
 * the browser only a digest in production); the digest lets an administrator find the log line.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations();
  return (
    <main className="login">
      <title>{t("meta.titleTemplate", { page: t("meta.pages.error") })}</title>
      <div className="card">
        <h1>{t("errorPage.title")}</h1>
        <p className="muted">
          {t("errorPage.body")}
          {error.digest ? ` ${t("errorPage.reference", { reference: error.digest })}` : ""}
        </p>
        <button type="button" onClick={reset}>
          {t("common.tryAgain")}
        </button>
      </div>
    </main>
  );
}
