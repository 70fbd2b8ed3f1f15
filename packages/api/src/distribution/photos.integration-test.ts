import { verifyLocalLink } from "@rantai/core/distribution";
import { createManualClock } from "@rantai/core/kernel";
import { photos } from "@rantai/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createItem, newKey, prepareShipment, type TestItem } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";
import { jpegBytes, objectKeyOf, streamOf } from "./photo-fixtures";

let world: ApiTestWorld;
let item: TestItem;
let shipment: Awaited<ReturnType<typeof prepareShipment>>;

beforeAll(async () => {
  world = await createApiTestWorld("photos");
  item = await createItem(world.db, { dosesPerVial: 10 });
  // From district A's store to its first puskesmas (facility A1), in transit.
  shipment = await prepareShipment(world, item, world.units.districtA, "dispatched");
});
afterAll(async () => {
  await world?.destroy();
});

const localStore = () => {
  const store = world.photoStore;
  if (!store) throw new Error("the test world keeps photos in a local store");
  return store;
};

/** Follows a signed local link as the console's route does: checks it, then stores the body. */
async function putThroughLink(url: string, bytes: Uint8Array, signingSecret: string) {
  const link = new URL(url, "http://console.test");
  const key = link.pathname.split("/").at(-1) ?? "";
  const check = verifyLocalLink(signingSecret, { key, query: link.searchParams, operation: "put", now: Date.now() });
  if (!check.ok) return check;
  return localStore().writeObject(key, streamOf(bytes), check.grant.byteSize);
}

/** The signing secret the test world gave its local store. */
let signingSecret = "";

async function requestAs(
  userId: number,
  overrides: Partial<{ contentType: string; byteSize: number; shipmentLineId: number }> = {},
) {
  const caller = await world.callerFor(userId);
  return caller.distribution.requestPhotoUpload({
    idempotencyKey: newKey(),
    shipmentId: shipment.shipmentId,
    contentType: "image/jpeg",
    byteSize: 2048,
    ...overrides,
  });
}

describe("shipment photos", () => {
  beforeAll(() => {
    signingSecret = world.photoSigningSecret;
  });

  it("staff of the receiving puskesmas upload through the signed link, confirm, and the district officer sees it", async () => {
    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const key = newKey();
    const input = {
      idempotencyKey: key,
      shipmentId: shipment.shipmentId,
      shipmentLineId: shipment.lineId,
      contentType: "image/jpeg",
      byteSize: 4096,
    };
    const requested = await staff.distribution.requestPhotoUpload(input);
    expect(requested.status).toBe("pending");
    expect(requested.upload?.method).toBe("PUT");
    const objectKey = await objectKeyOf(world, requested.photoId);
    // The stored name says nothing about the shipment, the facility or the person.
    expect(objectKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // (256 random bits: a digit of an id may occur by chance, the ids and key never do.)
    expect(objectKey).not.toContain(key);
    expect(objectKey).not.toContain(world.units.facilityA1.code);

    // A phone that retries gets the same photo, never a second row.
    const again = await staff.distribution.requestPhotoUpload(input);
    expect(again.photoId).toBe(requested.photoId);
    expect(await world.db.select().from(photos).where(eq(photos.idempotencyKey, key))).toHaveLength(1);

    await expect(staff.distribution.confirmPhotoUpload({ photoId: requested.photoId })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const stored = await putThroughLink(requested.upload?.url ?? "", jpegBytes(4096), signingSecret);
    expect(stored).toMatchObject({ ok: true, byteSize: 4096 });
    await expect(staff.distribution.confirmPhotoUpload({ photoId: requested.photoId })).resolves.toMatchObject({
      status: "confirmed",
    });
    // Confirming again, or requesting again with the key, changes nothing.
    await expect(staff.distribution.confirmPhotoUpload({ photoId: requested.photoId })).resolves.toMatchObject({
      status: "confirmed",
    });
    await expect(staff.distribution.requestPhotoUpload(input)).resolves.toMatchObject({
      status: "confirmed",
      upload: null,
    });

    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const listed = await officer.distribution.listShipmentPhotos({ shipmentId: shipment.shipmentId });
    const photo = listed.photos.find((found) => found.id === requested.photoId);
    expect(photo).toMatchObject({ shipmentLineId: shipment.lineId, batchId: shipment.batchId, byteSize: 4096 });
    const link = new URL(photo?.download.url ?? "", "http://console.test");
    const check = verifyLocalLink(signingSecret, {
      key: link.pathname.split("/").at(-1) ?? "",
      query: link.searchParams,
      operation: "get",
      now: Date.now(),
    });
    expect(check).toMatchObject({ ok: true, grant: { contentType: "image/jpeg" } });
    // A download link does not upload, and a changed parameter breaks the signature.
    expect(
      verifyLocalLink(signingSecret, { key: objectKey, query: link.searchParams, operation: "put", now: Date.now() })
        .ok,
    ).toBe(false);
    link.searchParams.set("exp", String(Date.now() + 86_400_000));
    expect(
      verifyLocalLink(signingSecret, { key: objectKey, query: link.searchParams, operation: "get", now: Date.now() }),
    ).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("a link expires", async () => {
    const requested = await requestAs(world.people.facilityStaffA1.id);
    const link = new URL(requested.upload?.url ?? "", "http://console.test");
    const key = link.pathname.split("/").at(-1) ?? "";
    const later = Date.now() + (world.photos.limits.urlSeconds + 1) * 1000;
    expect(verifyLocalLink(signingSecret, { key, query: link.searchParams, operation: "put", now: later })).toEqual({
      ok: false,
      reason: "expired",
    });
    const clock = createManualClock(Date.now() - 3_600_000);
    const stale = await world.photos.storage.signDownload(key, { contentType: "image/jpeg", expiresAt: clock.now() });
    const staleLink = new URL(stale.url, "http://console.test");
    expect(
      verifyLocalLink(signingSecret, { key, query: staleLink.searchParams, operation: "get", now: Date.now() }),
    ).toMatchObject({
      reason: "expired",
    });
  });

  it("refuses a type other than JPEG, PNG or WebP, and a photo over the size limit", async () => {
    const staff = world.people.facilityStaffA1.id;
    const wrongType = await errorOf(requestAs(staff, { contentType: "image/gif" }));
    expect(wrongType.cause).toMatchObject({ reason: "distribution.photo_type_unsupported" });
    const tooLarge = await errorOf(requestAs(staff, { byteSize: world.photos.limits.maxBytes + 1 }));
    expect(tooLarge.cause).toMatchObject({ reason: "distribution.photo_too_large" });
    const otherLine = await errorOf(requestAs(staff, { shipmentLineId: 999_999 }));
    expect(otherLine.cause).toMatchObject({ reason: "distribution.receipt_line_unknown" });
  });

  it("refuses and deletes an upload whose bytes or size are not what was announced", async () => {
    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const png = await requestAs(world.people.facilityStaffA1.id);
    const pngBytes = new Uint8Array(2048);
    pngBytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await putThroughLink(png.upload?.url ?? "", pngBytes, signingSecret);
    const mismatch = await errorOf(staff.distribution.confirmPhotoUpload({ photoId: png.photoId }));
    expect(mismatch.cause).toMatchObject({ reason: "distribution.photo_content_mismatch" });
    expect(await world.photos.storage.findObject(await objectKeyOf(world, png.photoId))).toBeNull();

    const short = await requestAs(world.people.facilityStaffA1.id);
    await putThroughLink(short.upload?.url ?? "", jpegBytes(1000), signingSecret);
    const shortError = await errorOf(staff.distribution.confirmPhotoUpload({ photoId: short.photoId }));
    expect(shortError.cause).toMatchObject({
      reason: "distribution.photo_content_mismatch",
      params: { byteSize: 1000 },
    });

    // The link itself takes no more than the announced size.
    const long = await requestAs(world.people.facilityStaffA1.id);
    expect(await putThroughLink(long.upload?.url ?? "", jpegBytes(4096), signingSecret)).toEqual({
      ok: false,
      reason: "too-large",
    });
  });

  it("refuses users of another facility or district, the same as a shipment that does not exist", async () => {
    const requested = await requestAs(world.people.facilityStaffA1.id);
    for (const userId of [world.people.facilityStaffB1.id, world.people.districtOfficerB.id]) {
      const caller = await world.callerFor(userId);
      for (const call of [
        () => caller.distribution.listShipmentPhotos({ shipmentId: shipment.shipmentId }),
        () => caller.distribution.confirmPhotoUpload({ photoId: requested.photoId }),
        () =>
          caller.distribution.requestPhotoUpload({
            idempotencyKey: newKey(),
            shipmentId: shipment.shipmentId,
            contentType: "image/jpeg",
            byteSize: 100,
          }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
      }
    }
    // A viewer of the district sees the photos but adds none.
    const viewer = await world.callerFor(world.people.viewerA.id);
    await expect(viewer.distribution.listShipmentPhotos({ shipmentId: shipment.shipmentId })).resolves.toBeDefined();
    await expect(
      viewer.distribution.requestPhotoUpload({
        idempotencyKey: newKey(),
        shipmentId: shipment.shipmentId,
        contentType: "image/jpeg",
        byteSize: 100,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
