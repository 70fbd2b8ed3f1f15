import type { AppRouter } from "@rantai/api";
import type { TRPCClient } from "@trpc/client";
import { errorReasonOf } from "../lib/error-reason";
import type { PhotoTransport } from "./types";

/** The photo store would not take the bytes for good (their size or type is not what the link allows). */
export class UploadRefused extends Error {
  constructor(readonly status: number) {
    super(`the photo store refused the photo (HTTP ${status})`);
  }
}

/**
 * Reasons that may clear on a later try: the bytes have not arrived, the session must be renewed,
 * the server is busy or failed. Any other reason the server gives is final for that photo.
 */
const passingReasons = new Set<string>([
  "distribution.photo_not_uploaded",
  "auth.not_signed_in",
  "auth.rate_limited",
  "idempotency.in_progress",
  "internal",
]);

/**
 * The outbox's way to the server: the photo procedures through the app's tRPC client, the bytes
 * with fetch to the signed link (a path on the console for its local store, else the store's own
 * address). An expired link (403) or no connection is tried again with a fresh link.
 */
export function createPhotoTransport(
  client: TRPCClient<AppRouter>,
  apiUrl: string,
  send: typeof fetch = fetch,
): PhotoTransport {
  return {
    requestUpload: (request) => client.distribution.requestPhotoUpload.mutate(request),
    async upload(link, bytes) {
      const response = await send(new URL(link.url, apiUrl).toString(), {
        method: link.method,
        headers: link.headers,
        body: bytes,
      });
      if (response.ok) return;
      if (response.status === 413 || response.status === 415) throw new UploadRefused(response.status);
      throw new Error(`the photo store answered HTTP ${response.status}`);
    },
    confirm: (photoId) => client.distribution.confirmPhotoUpload.mutate({ photoId }),
    finalRefusalOf(error) {
      if (error instanceof UploadRefused) return { reason: "distribution.photo_content_mismatch", params: {} };
      const reason = errorReasonOf(error);
      return reason === null || passingReasons.has(reason) ? null : { reason, params: {} };
    },
  };
}
