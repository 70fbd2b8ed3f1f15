import type { RouterOutputs } from "@rantai/api";
import AsyncStorage from "@react-native-async-storage/async-storage";

/** Who is signed in on this phone: kept beside the token so the app opens offline on the right facility. */
export type SessionUser = RouterOutputs["auth"]["me"];

const USER_KEY = "rantai.session-user";

export async function readSessionUser(): Promise<SessionUser | null> {
  const text = await AsyncStorage.getItem(USER_KEY);
  if (text === null) return null;
  try {
    return JSON.parse(text) as SessionUser;
  } catch {
    // A damaged copy is fetched again from the server (auth.me) on the next connection.
    return null;
  }
}

export async function writeSessionUser(user: SessionUser): Promise<void> {
  await AsyncStorage.setItem(USER_KEY, JSON.stringify(user));
}

export async function deleteSessionUser(): Promise<void> {
  await AsyncStorage.removeItem(USER_KEY);
}
