import { localeCookieName, messages } from "@rantai/ui/i18n";
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getSessionActor } from "~/server/auth";
import { resolveLocale } from "./negotiate";

/**
 * Each request's language and messages for next-intl. URLs carry no locale: the language is the
 * user's, stored on them; before sign-in the cookie or the browser decides (see negotiate.ts).
 */
export default getRequestConfig(async () => {
  const [actor, cookieStore, requestHeaders] = await Promise.all([getSessionActor(), cookies(), headers()]);
  const locale = resolveLocale({
    userLocale: actor?.locale,
    cookie: cookieStore.get(localeCookieName)?.value,
    acceptLanguage: requestHeaders.get("accept-language"),
  });
  return {
    locale,
    messages: messages[locale],
    // Times with no facility of their own are shown on the capital's clock; a facility's
    // times name their zone (WIB, WITA, WIT) explicitly.
    timeZone: "Asia/Jakarta",
  };
});
