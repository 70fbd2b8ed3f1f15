import AsyncStorage from "@react-native-async-storage/async-storage";
import type { KeyValueStore } from "./storage";

/**
 * The device store of one user's queue and local data: AsyncStorage (localStorage in the web
 * build), with keys under the user's id so another person signing in on a shared phone neither
 * sees nor sends the first one's actions, while the same nurse whose session lapsed finds hers.
 */
export function userDeviceStore(userId: number): KeyValueStore {
  const prefix = `rantai.user.${userId}.`;
  return {
    getItem: (key) => AsyncStorage.getItem(prefix + key),
    setItem: (key, value) => AsyncStorage.setItem(prefix + key, value),
    removeItem: (key) => AsyncStorage.removeItem(prefix + key),
  };
}

/**
 * Sign-out: removes everything kept on the phone under the user's id (queue, local copy, saved
 * charts, and whatever a later screen keeps there), not only what the engine knows of.
 */
export async function wipeUserDeviceData(userId: number): Promise<void> {
  const prefix = `rantai.user.${userId}.`;
  const keys = await AsyncStorage.getAllKeys();
  await AsyncStorage.multiRemove(keys.filter((key) => key.startsWith(prefix)));
}
