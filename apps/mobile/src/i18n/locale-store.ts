import { isLocale, type Locale } from "@rantai/ui/locales";
import * as SecureStore from "expo-secure-store";
import { Platform } from "react-native";

/**
 * The language chosen on this phone, kept on the device so it applies offline and before sign-in
 * (the user's record holds it too, for the console and other phones). Not a secret: the secure
 * store is only the one durable key-value store the native app has.
 */
const LOCALE_KEY = "rantai.locale";
const isWeb = Platform.OS === "web";

function webStorage(): Storage | null {
  // Guarded because static rendering and some privacy modes have no storage.
  try {
    return typeof window !== "undefined" ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The stored choice; null when none was made here or the store cannot be read. */
export async function readStoredLocale(): Promise<Locale | null> {
  try {
    const value = isWeb ? (webStorage()?.getItem(LOCALE_KEY) ?? null) : await SecureStore.getItemAsync(LOCALE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

export async function writeStoredLocale(locale: Locale): Promise<void> {
  if (isWeb) {
    webStorage()?.setItem(LOCALE_KEY, locale);
    return;
  }
  await SecureStore.setItemAsync(LOCALE_KEY, locale);
}
