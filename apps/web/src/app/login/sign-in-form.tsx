"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useState } from "react";
import { signInWithPassword } from "~/components/auth/session-requests";

/**
 * What a refused sign-in said: the server sends the error's reason, and the wait in seconds
 * when the sign-in limits refused it ("auth.rate_limited:120"); see createAuthOptions.
 */
function parseSignInError(code: string): { reason: string; retryAfterSeconds: number | null } {
  const [reason = "", seconds] = code.split(":");
  const retryAfterSeconds = seconds !== undefined && /^\d{1,7}$/.test(seconds) ? Number(seconds) : null;
  return { reason, retryAfterSeconds };
}

export function SignInForm() {
  const t = useTranslations("signIn");
  const tErrors = useTranslations("errors");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until React has taken over the form, a click would submit it natively and lose the fields.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  function explain(code: string): string {
    const { reason, retryAfterSeconds } = parseSignInError(code);
    if (reason === "input.invalid") return t("missingFields");
    const key = reason as Parameters<typeof tErrors>[0];
    const message = reason && tErrors.has(key) ? tErrors(key) : t("failed");
    if (retryAfterSeconds === null) return message;
    return `${message} ${t("retryAfter", { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) })}`;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signInWithPassword(String(form.get("email") ?? ""), String(form.get("password") ?? ""));
      if (result.ok) {
        router.replace("/");
        router.refresh();
        return;
      }
      setError(explain(result.error));
    } catch {
      setError(t("unreachable"));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <label htmlFor="email">{t("email")}</label>
      <input id="email" name="email" type="email" autoComplete="username" required />
      <label htmlFor="password">{t("password")}</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending || !hydrated}>
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}
