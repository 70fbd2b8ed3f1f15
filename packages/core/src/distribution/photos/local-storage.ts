import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type PhotoContentType, photoContentTypes } from "./image-types";
import { objectKeyPattern, type PhotoStorage, type SignedRequest } from "./storage";

/** Where the console serves the local store's signed links (apps/web/src/app/api/photos/objects). */
export const localPhotoRoute = "/api/photos/objects";

export interface LocalPhotoStoreOptions {
  directory: string;
  /** The HMAC key of the links' signatures (at least 32 characters). */
  signingSecret: string;
}

/** What a signed local link allows: one operation on one key, until `expiresAt`. */
export interface LocalLinkGrant {
  operation: "put" | "get";
  key: string;
  contentType: PhotoContentType;
  /** For an upload, the largest body accepted (the size the client declared); 0 for a download. */
  byteSize: number;
  expiresAt: number;
}

function signatureOf(secret: string, grant: LocalLinkGrant): string {
  const text = [grant.operation, grant.key, grant.contentType, grant.byteSize, grant.expiresAt].join("\n");
  return createHmac("sha256", secret).update(text).digest("base64url");
}

function linkOf(secret: string, grant: LocalLinkGrant): string {
  const query = new URLSearchParams({
    op: grant.operation,
    ct: grant.contentType,
    size: String(grant.byteSize),
    exp: String(grant.expiresAt),
    sig: signatureOf(secret, grant),
  });
  return `${localPhotoRoute}/${grant.key}?${query}`;
}

export type TLocalLinkCheck = { ok: true; grant: LocalLinkGrant } | { ok: false; reason: "invalid" | "expired" };

/**
 * Checks a local link as the console's route receives it: a well-formed key, a signature over
 * every parameter (compared in constant time), the operation the route serves, and not expired.
 */
export function verifyLocalLink(
  secret: string,
  request: { key: string; query: URLSearchParams; operation: "put" | "get"; now: number },
): TLocalLinkCheck {
  const { query } = request;
  const contentType = photoContentTypes.find((type) => type === query.get("ct"));
  const byteSize = Number(query.get("size"));
  const expiresAt = Number(query.get("exp"));
  const signature = query.get("sig") ?? "";
  if (!objectKeyPattern.test(request.key) || !contentType || query.get("op") !== request.operation) {
    return { ok: false, reason: "invalid" };
  }
  if (!Number.isSafeInteger(byteSize) || byteSize < 0 || !Number.isSafeInteger(expiresAt)) {
    return { ok: false, reason: "invalid" };
  }
  const grant: LocalLinkGrant = { operation: request.operation, key: request.key, contentType, byteSize, expiresAt };
  const expected = Buffer.from(signatureOf(secret, grant));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  if (expiresAt < request.now) return { ok: false, reason: "expired" };
  return { ok: true, grant };
}

/** Photos on the server's own disk, two levels of folders by key so no folder grows huge. */
export function createLocalPhotoStore(options: LocalPhotoStoreOptions) {
  const root = path.resolve(options.directory);
  const pathOf = (key: string) => {
    if (!objectKeyPattern.test(key)) throw new Error("photo object key is malformed");
    return path.join(root, key.slice(0, 2), key);
  };

  const storage: PhotoStorage = {
    kind: "local",
    imageOrigin: null,
    async signUpload(key, upload): Promise<SignedRequest> {
      const grant = { operation: "put", key, ...upload, expiresAt: upload.expiresAt.getTime() } as const;
      return {
        method: "PUT",
        url: linkOf(options.signingSecret, grant),
        headers: { "content-type": upload.contentType },
      };
    },
    async signDownload(key, download): Promise<SignedRequest> {
      const grant = {
        operation: "get",
        key,
        contentType: download.contentType,
        byteSize: 0,
        expiresAt: download.expiresAt.getTime(),
      } as const;
      return { method: "GET", url: linkOf(options.signingSecret, grant), headers: {} };
    },
    async findObject(key) {
      const found = await stat(pathOf(key)).catch(() => null);
      return found?.isFile() ? { byteSize: found.size } : null;
    },
    async readStart(key, length) {
      const file = await open(pathOf(key), "r");
      try {
        const buffer = new Uint8Array(length);
        const { bytesRead } = await file.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    },
    async deleteObject(key) {
      await rm(pathOf(key), { force: true });
    },
  };

  /**
   * Stores an upload's body, counting bytes as they arrive: past `maxBytes` it stops, removes
   * what it wrote and says so. The bytes go to a temporary file renamed into place at the end,
   * so a reader never sees half a photo and a repeated upload replaces the object whole.
   */
  async function writeObject(key: string, body: ReadableStream<Uint8Array>, maxBytes: number) {
    const target = pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${randomBytes(6).toString("hex")}.part`;
    const file = await open(partial, "w");
    const reader = body.getReader();
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          reader.cancel().catch(() => undefined);
          await file.close();
          await rm(partial, { force: true });
          return { ok: false as const, reason: "too-large" as const };
        }
        await file.write(value);
      }
      await file.close();
      await rename(partial, target);
      return { ok: true as const, byteSize: total };
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** The stored object as a stream, or null when there is none. */
  async function readObject(key: string) {
    const found = await storage.findObject(key);
    if (!found) return null;
    return { byteSize: found.byteSize, stream: createReadStream(pathOf(key)) };
  }

  /** Checks a link the console's route received against this store's secret. */
  const verifyLink = (request: { key: string; query: URLSearchParams; operation: "put" | "get"; now: number }) =>
    verifyLocalLink(options.signingSecret, request);

  return { storage, writeObject, readObject, verifyLink };
}
export type LocalPhotoStore = ReturnType<typeof createLocalPhotoStore>;
