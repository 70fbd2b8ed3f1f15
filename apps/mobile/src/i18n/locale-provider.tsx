import type { Locale } from "@rantai/ui/locales";
import { mobileMessages } from "@rantai/ui/mobile-messages";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { IntlProvider } from "use-intl";
import "./intl-config";
import { deviceLocales, facilityZoneOf, localeOfDevice } from "./device-locale";
import { readStoredLocale, writeStoredLocale } from "./locale-store";

interface LocaleContextValue {
  locale: Locale;
  /** False until the stored choice was read, so no screen flashes in the other language. */
  ready: boolean;
  /** Applies a language on this phone at once and keeps it for the next start, offline too. */
  chooseLocale: (locale: Locale) => Promise<void>;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

/**
 * The app's language: the choice stored on this phone, else the device's language if it is one
 * of ours, else Bahasa Indonesia. Times are shown on the facility's clock (see facilityZoneOf).
 */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() => localeOfDevice(deviceLocales()));
  const [ready, setReady] = useState(false);
  const timeZone = useMemo(() => facilityZoneOf(Intl.DateTimeFormat().resolvedOptions().timeZone).timeZone, []);

  useEffect(() => {
    let cancelled = false;
    void readStoredLocale().then((stored) => {
      if (cancelled) return;
      if (stored) setLocale(stored);
      setReady(true);
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const chooseLocale = useCallback(async (next: Locale) => {
    setLocale(next);
    // The screen already shows the choice; a store that refuses only loses it at the next start.
    await writeStoredLocale(next).catch(() => undefined);
  }, []);

  const value = useMemo(() => ({ locale, ready, chooseLocale }), [locale, ready, chooseLocale]);
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={locale} messages={mobileMessages[locale]} timeZone={timeZone}>
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocaleChoice(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error("useLocaleChoice must be used inside <LocaleProvider>.");
  return value;
}
