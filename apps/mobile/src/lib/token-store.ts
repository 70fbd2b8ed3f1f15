import * as SecureStore from "expo-secure-store";
import { Platform } from "react-native";

const TOKEN_KEY = "rantai.session-token";

// expo-secure-store has no web implementation. On web we fall back to
// localStorage rather than sessionStorage because sessionStorage is per tab:
// opening the app in a new tab would silently sign staff out. localStorage is
// readable by any script on the origin, which is acceptable only because the
// token is short-lived and revocable server-side (auth.signOutMobile).
const isWeb = Platform.OS === "web";

// A session token should not follow a device backup onto another phone.
const secureOptions: SecureStore.SecureStoreOptions = {
  keychainAccessible: SecureStore.WHEN_UNLOCKED_THIS_DEVICE_ONLY,
};

function webStorage(): Storage | null {
  // Guarded because static rendering and some privacy modes have no storage.
  try {
    return typeof window !== "undefined" ? window.localStorage : null;
  } catch {
    return null;
  }
}

export async function readToken(): Promise<string | null> {
  if (isWeb) return webStorage()?.getItem(TOKEN_KEY) ?? null;
  return SecureStore.getItemAsync(TOKEN_KEY, secureOptions);
}

export async function writeToken(token: string): Promise<void> {
  if (isWeb) {
    webStorage()?.setItem(TOKEN_KEY, token);
    return;
  }
  await SecureStore.setItemAsync(TOKEN_KEY, token, secureOptions);
}

export async function deleteToken(): Promise<void> {
  if (isWeb) {
    webStorage()?.removeItem(TOKEN_KEY);
    return;
  }
  await SecureStore.deleteItemAsync(TOKEN_KEY, secureOptions);
}
