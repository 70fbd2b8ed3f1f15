import enMobile from "../messages/en/mobile.json";
import enBase from "../messages/en.json";
import idMobile from "../messages/id/mobile.json";
import idBase from "../messages/id.json";
import type { Locale } from "./locales";

/**
 * The part of the one catalog the phone app ships: the shared messages (errors by reason, stock
 * statuses, sign-in, language names) and its own `mobile` area, without the console's larger
 * areas, so the phone's bundle does not carry pages it never shows. Same keys as in i18n.ts.
 */
const id = { ...idBase, mobile: idMobile };
const en = { ...enBase, mobile: enMobile };

export type MobileMessages = typeof id;

/** Typed against the Indonesian catalog, so a key missing from English fails the typecheck too. */
export const mobileMessages: Readonly<Record<Locale, MobileMessages>> = { id, en };
