import { Directory, File, Paths } from "expo-file-system";
import type { KeyValueStore } from "../sync/storage";
import type { PhotoBlobStore } from "./types";

/**
 * On a phone the photos and their list are files in the app's document folder, which the
 * system does not clear to make room (unlike the cache) and which survives a restart. The web
 * build uses device-store.web.ts instead.
 */
function folder(): Directory {
  const directory = new Directory(Paths.document, "rantai-photos");
  if (!directory.exists) directory.create({ intermediates: true });
  return directory;
}

/** Names made by the outbox (UUIDs) or its own keys; anything else never becomes a path. */
const safeName = (name: string) => {
  if (!/^[A-Za-z0-9._-]{1,80}$/.test(name)) throw new Error("photo file name is malformed");
  return name;
};

const fileBlobs: PhotoBlobStore = {
  async save(id, bytes) {
    // Written whole under a temporary name, then moved into place: never half a photo.
    const partial = new File(folder(), `${safeName(id)}.part`);
    partial.write(bytes);
    await partial.move(new File(folder(), `${safeName(id)}.photo`), { overwrite: true });
  },
  async read(id) {
    const file = new File(folder(), `${safeName(id)}.photo`);
    return file.exists ? file.bytes() : null;
  },
  async remove(id) {
    const file = new File(folder(), `${safeName(id)}.photo`);
    if (file.exists) file.delete();
  },
};

const fileEntries: KeyValueStore = {
  async getItem(key) {
    const file = new File(folder(), `${safeName(key)}.json`);
    return file.exists ? file.text() : null;
  },
  async setItem(key, value) {
    const partial = new File(folder(), `${safeName(key)}.json.part`);
    partial.write(value);
    await partial.move(new File(folder(), `${safeName(key)}.json`), { overwrite: true });
  },
  async removeItem(key) {
    const file = new File(folder(), `${safeName(key)}.json`);
    if (file.exists) file.delete();
  },
};

export function openPhotoDeviceStore(): { entries: KeyValueStore; blobs: PhotoBlobStore } {
  return { entries: fileEntries, blobs: fileBlobs };
}

/** The picked photo's bytes and type, read from the file the camera wrote. */
export async function readPickedPhoto(asset: { uri: string; mimeType?: string }) {
  return { bytes: await new File(asset.uri).bytes(), contentType: asset.mimeType ?? "image/jpeg" };
}
