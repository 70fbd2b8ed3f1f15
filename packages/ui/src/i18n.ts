import en from "../messages/en.json";
import id from "../messages/id.json";

/**
 * The one message catalog of the console and the phone app: ICU messages, Bahasa Indonesia
 * first. A user's choice is stored on them (`users.locale`); before sign-in the browser's
 * languages decide, and Bahasa Indonesia when none of ours is among them.
 */
export const locales = ["id", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "id";

export type Messages = typeof id;

/** Typed against the Indonesian catalog, so a key missing from English fails the typecheck too. */
export const messages: Readonly<Record<Locale, Messages>> = { id, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** The cookie that carries the language before sign-in (and after sign-out). */
export const localeCookieName = "NEXT_LOCALE";
