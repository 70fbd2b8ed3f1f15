import enAdmin from "../messages/en/admin.json";
import enDistribution from "../messages/en/distribution.json";
import enFacility from "../messages/en/facility.json";
import enReports from "../messages/en/reports.json";
import enStore from "../messages/en/store.json";
import enBase from "../messages/en.json";
import idAdmin from "../messages/id/admin.json";
import idDistribution from "../messages/id/distribution.json";
import idFacility from "../messages/id/facility.json";
import idReports from "../messages/id/reports.json";
import idStore from "../messages/id/store.json";
import idBase from "../messages/id.json";
import type { Locale } from "./locales";

export { defaultLocale, isLocale, type Locale, localeCookieName, locales } from "./locales";

/**
 * The one message catalog of the console and the phone app: ICU messages, Bahasa Indonesia
 * first. A user's choice is stored on them (`users.locale`); before sign-in the browser's
 * languages decide, and Bahasa Indonesia when none of ours is among them.
 *
 * The larger areas keep their messages in a file of their own (messages/<locale>/<area>.json),
 * under a namespace of the area's name; the rest live in messages/<locale>.json.
 */
const id = {
  ...idBase,
  facility: idFacility,
  distribution: idDistribution,
  store: idStore,
  reports: idReports,
  admin: idAdmin,
};
const en = {
  ...enBase,
  facility: enFacility,
  distribution: enDistribution,
  store: enStore,
  reports: enReports,
  admin: enAdmin,
};

export type Messages = typeof id;

/** Typed against the Indonesian catalog, so a key missing from English fails the typecheck too. */
export const messages: Readonly<Record<Locale, Messages>> = { id, en };
