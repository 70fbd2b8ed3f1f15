import { photos } from "@rantai/db";
import { eq } from "drizzle-orm";
import { newKey } from "../stock/test-fixtures";
import type { ApiTestWorld } from "../testing";

/** A JPEG's signature followed by filler: enough for the server's checks of size and type. */
export function jpegBytes(byteSize = 2048): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(byteSize).fill(0x20);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
  return bytes;
}

/** A body stream of the given bytes, as the console's photo route receives an upload. */
export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** The random key a photo's bytes are stored under. */
export async function objectKeyOf(world: ApiTestWorld, photoId: number): Promise<string> {
  const [row] = await world.db.select({ key: photos.objectKey }).from(photos).where(eq(photos.id, photoId));
  if (!row) throw new Error(`photo ${photoId} does not exist`);
  return row.key;
}

/** A photo of the shipment requested by the national admin and stored in the local store, not yet confirmed. */
export async function uploadedPhoto(world: ApiTestWorld, shipmentId: number, bytes = jpegBytes()): Promise<number> {
  const admin = await world.callerFor(world.people.nationalAdmin.id);
  const requested = await admin.distribution.requestPhotoUpload({
    idempotencyKey: newKey(),
    shipmentId,
    contentType: "image/jpeg",
    byteSize: bytes.byteLength,
  });
  const store = world.photoStore;
  if (!store) throw new Error("the test world keeps photos in a local store");
  await store.writeObject(await objectKeyOf(world, requested.photoId), streamOf(bytes), bytes.byteLength);
  return requested.photoId;
}
