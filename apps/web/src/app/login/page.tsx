import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LanguageSwitch } from "~/components/layout/language-switch";
import { pageMetadata } from "~/i18n/metadata";
import { getSessionUserId } from "~/server/auth";
import { SignInForm } from "./sign-in-form";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("signIn");
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ ended?: string | string[] }> }) {
  if (await getSessionUserId()) redirect("/");
  const t = await getTranslations("signIn");
  const tSession = await getTranslations("admin.session");
  const ended = (await searchParams).ended === "1";
  return (
    <main className="login">
      <div className="card">
        <div className="login-heading">
          <h1>{t("heading")}</h1>
          <LanguageSwitch signedIn={false} />
        </div>
        {ended ? (
          <p className="error" role="status" data-testid="session-ended">
            {tSession("ended")}
          </p>
        ) : null}
        <p className="muted">{t("intro")}</p>
        <SignInForm />
      </div>
    </main>
  );
}
