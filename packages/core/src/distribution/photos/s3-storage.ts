import { AwsClient } from "aws4fetch";
import { type Clock, systemClock } from "../../kernel/clock";
import { objectKeyPattern, type PhotoStorage, type SignedRequest } from "./storage";

export interface S3PhotoStoreOptions {
  /** The S3 API's address (path-style requests: `<endpoint>/<bucket>/<key>`). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The time links are signed at (their lifetime counts from it); the system's when not given. */
  clock?: Clock;
}

/** SigV4's timestamp form: 20261208T004500Z. */
const signingTimeOf = (moment: Date) => moment.toISOString().replace(/[-:]|\.\d{3}/g, "");

/**
 * Photos in an S3-API store. Clients get presigned links (SigV4 in the query string, valid for
 * the seconds asked); the server itself reads only an object's size and first bytes to check it,
 * and deletes what fails the check.
 */
export function createS3PhotoStore(options: S3PhotoStoreOptions): PhotoStorage {
  const client = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: "s3",
    region: options.region,
    retries: 2,
  });
  const base = options.endpoint.replace(/\/+$/, "");
  const urlOf = (key: string) => {
    if (!objectKeyPattern.test(key)) throw new Error("photo object key is malformed");
    return `${base}/${options.bucket}/${key}`;
  };
  const clock = options.clock ?? systemClock;

  async function presign(
    method: "PUT" | "GET",
    key: string,
    expiresAt: Date,
    headers: Record<string, string>,
    query: Record<string, string> = {},
  ): Promise<SignedRequest> {
    const url = new URL(urlOf(key));
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const signedAt = clock.now();
    const seconds = Math.max(1, Math.ceil((expiresAt.getTime() - signedAt.getTime()) / 1000));
    url.searchParams.set("X-Amz-Expires", String(seconds));
    const aws = { signQuery: true, datetime: signingTimeOf(signedAt) };
    const signed = await client.sign(url.toString(), { method, headers, aws });
    return { method, url: signed.url, headers };
  }

  async function expectOk(response: Response, what: string): Promise<Response> {
    if (response.ok) return response;
    await response.body?.cancel();
    throw new Error(`photo store ${what} failed with HTTP ${response.status}`);
  }

  return {
    kind: "s3",
    imageOrigin: new URL(base).origin,
    // The type is part of the signature, so the client must store the object as declared.
    signUpload: (key, upload) => presign("PUT", key, upload.expiresAt, { "content-type": upload.contentType }),
    signDownload: (key, download) =>
      presign("GET", key, download.expiresAt, {}, { "response-content-type": download.contentType }),
    async findObject(key) {
      const response = await client.fetch(urlOf(key), { method: "HEAD" });
      if (response.status === 404) return null;
      await expectOk(response, "HEAD");
      return { byteSize: Number(response.headers.get("content-length") ?? 0) };
    },
    async readStart(key, length) {
      const response = await expectOk(
        await client.fetch(urlOf(key), { headers: { range: `bytes=0-${length - 1}` } }),
        "GET",
      );
      return new Uint8Array(await response.arrayBuffer()).subarray(0, length);
    },
    async deleteObject(key) {
      const response = await client.fetch(urlOf(key), { method: "DELETE" });
      if (response.status !== 404) await expectOk(response, "DELETE");
    },
  };
}
