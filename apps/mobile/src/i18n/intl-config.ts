import type { Locale } from "@rantai/ui/locales";
import type { MobileMessages } from "@rantai/ui/mobile-messages";

// use-intl's keys and locales are typed from the shared catalog's phone part: a key the app
// uses that the catalog lacks fails the typecheck, in both languages.
declare module "use-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: MobileMessages;
  }
}
