/**
 * The languages of the console and the phone app, with no catalog attached: a browser component
 * that only needs the list (the language switch) imports this, so the messages of both
 * languages are not shipped with it (the catalog itself is in i18n.ts).
 */
export const locales = ["id", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "id";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** The cookie that carries the language before sign-in (and after sign-out). */
export const localeCookieName = "NEXT_LOCALE";
