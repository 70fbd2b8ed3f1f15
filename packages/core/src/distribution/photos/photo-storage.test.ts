import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkPhotoStorageEnv, photoStorageEnvShape } from "./config";
import { detectImageType } from "./image-types";
import { createLocalPhotoStore } from "./local-storage";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("detectImageType", () => {
  it("knows JPEG, PNG and WebP by their first bytes, whatever they were called", () => {
    expect(detectImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(detectImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe("image/png");
    const webp = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");
    expect(detectImageType(webp)).toBe("image/webp");
  });

  it("refuses anything else: GIF, a RIFF that is not WebP, text, too few bytes", () => {
    expect(detectImageType(new TextEncoder().encode("GIF89a"))).toBeNull();
    expect(detectImageType(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WAVEfmt "))).toBeNull();
    expect(detectImageType(new TextEncoder().encode("<svg xmlns="))).toBeNull();
    expect(detectImageType(bytes(0xff, 0xd8))).toBeNull();
  });
});

describe("photo storage settings", () => {
  const schema = z.object(photoStorageEnvShape).superRefine(checkPhotoStorageEnv);

  it("keeps photos on the local disk by default, 5 MiB and 5-minute links", () => {
    expect(schema.parse({})).toMatchObject({
      PHOTO_STORAGE: "local",
      PHOTO_LOCAL_DIR: ".data/photos",
      PHOTO_MAX_BYTES: 5 * 1024 * 1024,
      PHOTO_URL_SECONDS: 300,
    });
  });

  it("names each S3 setting that is missing when S3 is chosen", () => {
    const result = schema.safeParse({ PHOTO_STORAGE: "s3", PHOTO_S3_BUCKET: "rantai-photos" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual([
      "PHOTO_S3_ACCESS_KEY_ID",
      "PHOTO_S3_ENDPOINT",
      "PHOTO_S3_SECRET_ACCESS_KEY",
    ]);
  });
});

describe("local photo links", () => {
  const store = createLocalPhotoStore({ directory: "/nonexistent", signingSecret: "s".repeat(32) });
  const key = "A".repeat(43);
  const check = async (url: string, operation: "put" | "get", now = Date.now()) => {
    const link = new URL(url, "http://console.test");
    return store.verifyLink({ key: link.pathname.split("/").at(-1) ?? "", query: link.searchParams, operation, now });
  };

  it("allows exactly the operation, type and size it was signed for, until it expires", async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const upload = await store.storage.signUpload(key, { contentType: "image/png", byteSize: 1234, expiresAt });
    expect(await check(upload.url, "put")).toEqual({
      ok: true,
      grant: { operation: "put", key, contentType: "image/png", byteSize: 1234, expiresAt: expiresAt.getTime() },
    });
    expect(await check(upload.url, "get")).toEqual({ ok: false, reason: "invalid" });
    expect(await check(upload.url, "put", expiresAt.getTime() + 1)).toEqual({ ok: false, reason: "expired" });
    expect(await check(upload.url.replace("size=1234", "size=99999"), "put")).toEqual({ ok: false, reason: "invalid" });
    expect(await check(upload.url.replace(key, "B".repeat(43)), "put")).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a link signed with another secret", async () => {
    const other = createLocalPhotoStore({ directory: "/nonexistent", signingSecret: "t".repeat(32) });
    const expiresAt = new Date(Date.now() + 60_000);
    const download = await other.storage.signDownload(key, { contentType: "image/jpeg", expiresAt });
    expect(await check(download.url, "get")).toEqual({ ok: false, reason: "invalid" });
  });
});
