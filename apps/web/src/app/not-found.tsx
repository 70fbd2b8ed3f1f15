import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("notFound");
}

export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <main className="login">
      <div className="card">
        <h1>{t("title")}</h1>
        <p className="muted">{t("body")}</p>
        <Link href="/">{t("back")}</Link>
      </div>
    </main>
  );
}
