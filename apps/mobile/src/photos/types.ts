import type { RouterInputs, RouterOutputs } from "@rantai/api";

/** The photo procedures as the phone sees them (types only: the phone bundles none of the server). */
export type PhotoUploadRequest = RouterInputs["distribution"]["requestPhotoUpload"];
export type PhotoUploadAnswer = RouterOutputs["distribution"]["requestPhotoUpload"];
export type PhotoUploadLink = NonNullable<PhotoUploadAnswer["upload"]>;

/** The image types the server accepts; the picker's result is checked against them before it is kept. */
export const photoContentTypes = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoContentType = (typeof photoContentTypes)[number];

/** The server's limit unless it is configured lower (PHOTO_MAX_BYTES); a larger photo is refused on the phone. */
export const maxPhotoBytes = 5 * 1024 * 1024;

/** How the outbox reaches the server; the app backs it with the tRPC client and fetch, tests with a fake. */
export interface PhotoTransport {
  requestUpload(request: PhotoUploadRequest): Promise<PhotoUploadAnswer>;
  /** Sends the bytes to the signed link; throws when the store did not take them. */
  upload(link: PhotoUploadLink, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  confirm(photoId: number): Promise<unknown>;
  /**
   * The server's reason when it refused for good (the photo will never be accepted: wrong type,
   * too large, another facility's shipment…); null for what may pass on a later try (offline,
   * server error, an expired link, bytes not arrived yet).
   */
  finalRefusalOf(error: unknown): { reason: string; params: Record<string, string | number> } | null;
}

/** The photos' bytes on the device, by the photo's own id, apart from the small list of entries. */
export interface PhotoBlobStore {
  save(id: string, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  read(id: string): Promise<Uint8Array<ArrayBuffer> | null>;
  remove(id: string): Promise<void>;
}

/** One photo the phone keeps until the server confirmed it. */
export interface PhotoEntry {
  /** Made on the phone when the photo was taken; also the idempotency key of its upload request. */
  id: string;
  shipmentId: number;
  shipmentLineId: number | null;
  contentType: PhotoContentType;
  byteSize: number;
  takenAt: number;
  state: "waiting" | "rejected";
  attempts: number;
  /** Not tried again before this time (backoff after a failure). */
  nextAttemptAt: number;
  rejection: { reason: string; params: Record<string, string | number> } | null;
}
