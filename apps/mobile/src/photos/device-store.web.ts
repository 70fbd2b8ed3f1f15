import { createWebStore, type KeyValueStore } from "../sync/storage";
import type { PhotoBlobStore } from "./types";

/**
 * The web build keeps the photos' bytes in IndexedDB and their small list in localStorage.
 * localStorage holds about 5 MB per origin and only text (base64 adds a third), so one photo
 * could fill it and push out the sync queue that shares it; IndexedDB stores binary data and
 * far more, and like localStorage it survives a reload, a closed tab and a restart.
 */
const DATABASE = "rantai-photos";
const STORE = "bytes";

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let opened: Promise<IDBDatabase> | null = null;
function openDatabase(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      opened = null;
      reject(request.error);
    };
  });
  return opened;
}

/** One write or read in its own transaction, resolved once the transaction has committed. */
async function withStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await openDatabase();
  const transaction = database.transaction(STORE, mode);
  const result = requestResult(work(transaction.objectStore(STORE)));
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
  return result;
}

const indexedDbBlobs: PhotoBlobStore = {
  async save(id, bytes) {
    await withStore("readwrite", (store) =>
      store.put(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), id),
    );
  },
  async read(id) {
    const value: unknown = await withStore("readonly", (store) => store.get(id));
    return value instanceof ArrayBuffer ? new Uint8Array(value) : null;
  },
  async remove(id) {
    await withStore("readwrite", (store) => store.delete(id));
  },
};

function webEntries(): KeyValueStore {
  return createWebStore(window.localStorage);
}

export function openPhotoDeviceStore(): { entries: KeyValueStore; blobs: PhotoBlobStore } {
  return { entries: webEntries(), blobs: indexedDbBlobs };
}

/** The picked photo's bytes and type: the web picker hands over the chosen File. */
export async function readPickedPhoto(asset: { uri: string; mimeType?: string; file?: File }) {
  const blob = asset.file ?? (await (await fetch(asset.uri)).blob());
  return { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: asset.mimeType ?? blob.type };
}
