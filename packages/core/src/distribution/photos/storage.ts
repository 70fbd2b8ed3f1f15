import { randomBytes } from "node:crypto";
import type { PhotoContentType } from "./image-types";

/** A link a client uses as given: the method, the address and the headers it must send. */
export interface SignedRequest {
  method: "PUT" | "GET";
  /** Absolute for a remote store; a path on the console (`/api/photos/…`) for the local one. */
  url: string;
  headers: Record<string, string>;
}

export interface StoredObject {
  byteSize: number;
}

/**
 * Where photo bytes live. The server never handles an upload's bytes through the API: a client
 * sends them to a short-lived signed link, and the server then checks what was stored.
 */
export interface PhotoStorage {
  readonly kind: "local" | "s3";
  /** A link that accepts one object of this type and at most this size, until `expiresAt`. */
  signUpload(
    key: string,
    upload: { contentType: PhotoContentType; byteSize: number; expiresAt: Date },
  ): Promise<SignedRequest>;
  /** A link that returns the object with this type, until `expiresAt`. */
  signDownload(key: string, download: { contentType: PhotoContentType; expiresAt: Date }): Promise<SignedRequest>;
  /** The object's size, or null when nothing is stored under the key. */
  findObject(key: string): Promise<StoredObject | null>;
  /** The object's first bytes (fewer when it is shorter). */
  readStart(key: string, length: number): Promise<Uint8Array>;
  deleteObject(key: string): Promise<void>;
  /** The origin images are loaded from when it is not the console's own (for the pages' CSP). */
  readonly imageOrigin: string | null;
}

/** 32 random bytes, base64url: unguessable and unrelated to the shipment, facility or person. */
export function createObjectKey(): string {
  return randomBytes(32).toString("base64url");
}

/** What `createObjectKey` makes; anything else is refused before it can name a path or a URL. */
export const objectKeyPattern = /^[A-Za-z0-9_-]{43}$/;
