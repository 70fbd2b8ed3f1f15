import { match } from "@formatjs/intl-localematcher";
import { defaultLocale, isLocale, type Locale, locales } from "@rantai/ui/i18n";
import Negotiator from "negotiator";

/**
 * The language a page is rendered in: the signed-in user's stored choice; before sign-in the
 * language cookie (set by the switch on the sign-in page, and kept in step with the user's
 * choice); then the browser's Accept-Language; Bahasa Indonesia when none of ours is in it.
 */
export function resolveLocale(sources: {
  userLocale?: Locale | null | undefined;
  cookie?: string | null | undefined;
  acceptLanguage?: string | null | undefined;
}): Locale {
  if (sources.userLocale) return sources.userLocale;
  if (isLocale(sources.cookie)) return sources.cookie;
  return fromAcceptLanguage(sources.acceptLanguage);
}

/** The best of our languages for an Accept-Language header (bounded: a header is outside input). */
export function fromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return defaultLocale;
  const requested = new Negotiator({ headers: { "accept-language": header.slice(0, 512) } })
    .languages()
    .filter((tag) => tag !== "*")
    .slice(0, 20);
  if (requested.length === 0) return defaultLocale;
  try {
    const chosen = match(requested, [...locales], defaultLocale);
    return isLocale(chosen) ? chosen : defaultLocale;
  } catch {
    // A tag Intl cannot canonicalize ("en-US-x-!!"): treat the header as saying nothing.
    return defaultLocale;
  }
}
