import enAdmin from "../messages/en/admin.json";
import enDistribution from "../messages/en/distribution.json";
import enFacility from "../messages/en/facility.json";
import enMobile from "../messages/en/mobile.json";
import enReports from "../messages/en/reports.json";
import enStore from "../messages/en/store.json";
import enBase from "../messages/en.json";
import idAdmin from "../messages/id/admin.json";
import idDistribution from "../messages/id/distribution.json";
import idFacility from "../messages/id/facility.json";
import idMobile from "../messages/id/mobile.json";
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
 * under a namespace of the area's name (`mobile` is the phone app's own texts; the phone reuses
 * the shared ones, such as `errors.*` and `stock.status`); the rest live in messages/<locale>.json.
 */
const id = {
  ...idBase,
  facility: idFacility,
  distribution: idDistribution,
  store: idStore,
  reports: idReports,
  admin: idAdmin,
  mobile: idMobile,
};
const en = {
  ...enBase,
  facility: enFacility,
  distribution: enDistribution,
  store: enStore,
  reports: enReports,
  admin: enAdmin,
  mobile: enMobile,
};

export type Messages = typeof id;

/** Typed against the Indonesian catalog, so a key missing from English fails the typecheck too. */
export const messages: Readonly<Record<Locale, Messages>> = { id, en };
