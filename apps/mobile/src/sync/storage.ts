/**
 * The device storage the queue and the local store live in: the app backs it with AsyncStorage
 * (same three async calls); tests with memory. Each value is written whole by one `setItem`, so a
 * crash leaves either the old value or the new one, never half of each.
 */
export interface KeyValueStore {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  async getItem(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }

  async setItem(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async removeItem(key: string): Promise<void> {
    this.values.delete(key);
  }
}

interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The web build's store: the browser's localStorage, which survives a reload and a restart. */
export function createWebStore(storage: WebStorage): KeyValueStore {
  return {
    getItem: async (key) => storage.getItem(key),
    setItem: async (key, value) => storage.setItem(key, value),
    removeItem: async (key) => storage.removeItem(key),
  };
}

/** Reads a JSON value written by `writeJson`; a missing value gives the fallback. */
export async function readJson<T>(
  store: KeyValueStore,
  key: string,
  fallback: T,
  reviver?: (key: string, value: unknown) => unknown,
): Promise<T> {
  const text = await store.getItem(key);
  return text === null ? fallback : (JSON.parse(text, reviver) as T);
}

export async function writeJson(store: KeyValueStore, key: string, value: unknown): Promise<void> {
  await store.setItem(key, JSON.stringify(value));
}
