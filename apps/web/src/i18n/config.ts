import type { Locale, Messages } from "@rantai/ui/i18n";

// next-intl's keys and locales are typed from the shared catalog: a missing key fails the typecheck.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
