import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findActiveActor } from "@rantai/core/auth";
import { createS3PhotoStore, type PhotoService } from "@rantai/core/distribution";
import { type Clock, createManualClock, systemClock } from "@rantai/core/kernel";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, newKey, prepareShipment } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";
import { jpegBytes } from "./photo-fixtures";

/**
 * The S3 driver against a local S3-API server: the phone's path (presigned PUT, confirm) and the
 * console's (presigned GET), an expired link and a file that is not the announced photo.
 */
let world: ApiTestWorld;
let server: S3rver;
let directory: string;
let endpoint: string;
let shipment: Awaited<ReturnType<typeof prepareShipment>>;
const bucket = "rantai-photos";

function serviceWith(clock: Clock): PhotoService {
  const storage = createS3PhotoStore({
    endpoint,
    bucket,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    clock,
  });
  return { storage, limits: { maxBytes: 5 * 1024 * 1024, urlSeconds: 60 }, clock };
}

async function callerWith(userId: number, photos: PhotoService) {
  const actor = await findActiveActor(world.db, userId);
  if (!actor) throw new Error(`user ${userId} is not active`);
  return world.createCaller({ ...world.contextFor(actor), photos });
}

beforeAll(async () => {
  world = await createApiTestWorld("photos-s3");
  directory = await mkdtemp(path.join(tmpdir(), "rantai-s3rver-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  const item = await createItem(world.db, { dosesPerVial: 10 });
  shipment = await prepareShipment(world, item, world.units.districtA, "dispatched");
});
afterAll(async () => {
  await server?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
  await world?.destroy();
});

async function send(
  request: { method: string; url: string; headers: Record<string, string> },
  body?: Uint8Array<ArrayBuffer>,
) {
  return fetch(request.url, { method: request.method, headers: request.headers, ...(body ? { body } : {}) });
}

describe("photos on an S3-API store", () => {
  it("uploads through the presigned link, confirms, and downloads through a signed link", async () => {
    const photos = serviceWith(systemClock);
    const staff = await callerWith(world.people.facilityStaffA1.id, photos);
    const bytes = jpegBytes(3000);
    const requested = await staff.distribution.requestPhotoUpload({
      idempotencyKey: newKey(),
      shipmentId: shipment.shipmentId,
      shipmentLineId: shipment.lineId,
      contentType: "image/jpeg",
      byteSize: bytes.byteLength,
    });
    const upload = requested.upload;
    if (!upload) throw new Error("a new photo has an upload link");
    expect(upload.url.startsWith(`${endpoint}/${bucket}/`)).toBe(true);
    expect(upload.url).toContain("X-Amz-Signature=");
    expect((await send(upload, bytes)).status).toBe(200);
    await expect(staff.distribution.confirmPhotoUpload({ photoId: requested.photoId })).resolves.toMatchObject({
      status: "confirmed",
    });

    const officer = await callerWith(world.people.districtOfficerA.id, photos);
    const listed = await officer.distribution.listShipmentPhotos({ shipmentId: shipment.shipmentId });
    const download = listed.photos.find((photo) => photo.id === requested.photoId)?.download;
    if (!download) throw new Error("the confirmed photo is listed");
    const response = await send(download);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it("refuses an expired link", async () => {
    // Links signed two minutes ago with a lifetime of one minute.
    const past = createManualClock(Date.now() - 120_000);
    const photos = serviceWith(past);
    const staff = await callerWith(world.people.facilityStaffA1.id, photos);
    const requested = await staff.distribution.requestPhotoUpload({
      idempotencyKey: newKey(),
      shipmentId: shipment.shipmentId,
      contentType: "image/jpeg",
      byteSize: 3000,
    });
    if (!requested.upload) throw new Error("a new photo has an upload link");
    expect((await send(requested.upload, jpegBytes(3000))).status).toBe(403);
    expect(await photos.storage.findObject(new URL(requested.upload.url).pathname.split("/").at(-1) ?? "")).toBeNull();
    const expiredDownload = await photos.storage.signDownload(
      new URL(requested.upload.url).pathname.split("/").at(-1) ?? "",
      {
        contentType: "image/jpeg",
        expiresAt: new Date(past.now().getTime() + 60_000),
      },
    );
    expect((await send(expiredDownload)).status).toBe(403);
  });

  it("refuses a file of another type than announced, and deletes it from the store", async () => {
    const photos = serviceWith(systemClock);
    const staff = await callerWith(world.people.facilityStaffA1.id, photos);
    const text = new TextEncoder().encode("this is not a photo at all, only text padded out".padEnd(3000, "."));
    const requested = await staff.distribution.requestPhotoUpload({
      idempotencyKey: newKey(),
      shipmentId: shipment.shipmentId,
      contentType: "image/png",
      byteSize: text.byteLength,
    });
    if (!requested.upload) throw new Error("a new photo has an upload link");
    expect((await send(requested.upload, text)).status).toBe(200);
    const key = new URL(requested.upload.url).pathname.split("/").at(-1) ?? "";
    expect(await photos.storage.findObject(key)).toEqual({ byteSize: 3000 });
    const error = await errorOf(staff.distribution.confirmPhotoUpload({ photoId: requested.photoId }));
    expect(error.cause).toMatchObject({ reason: "distribution.photo_content_mismatch" });
    expect(await photos.storage.findObject(key)).toBeNull();
  });
});
