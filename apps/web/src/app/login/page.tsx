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

export default async function LoginPage() {
  if (await getSessionUserId()) redirect("/");
  const t = await getTranslations("signIn");
  return (
    <main className="login">
      <div className="card">
        <div className="login-heading">
          <h1>{t("heading")}</h1>
          <LanguageSwitch signedIn={false} />
        </div>
        <p className="muted">{t("intro")}</p>
        <SignInForm />
      </div>
    </main>
  );
}
