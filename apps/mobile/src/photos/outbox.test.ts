import { describe, expect, it } from "vitest";
import { MemoryStore } from "../sync/storage";
import type { Clock } from "../sync/types";
import { clearPhotoDeviceStore, PhotoNotKept, PhotoOutbox } from "./outbox";
import type { PhotoBlobStore, PhotoTransport, PhotoUploadAnswer, PhotoUploadRequest } from "./types";

class MemoryBlobs implements PhotoBlobStore {
  readonly bytes = new Map<string, Uint8Array<ArrayBuffer>>();
  async save(id: string, bytes: Uint8Array<ArrayBuffer>) {
    this.bytes.set(id, bytes);
  }
  async read(id: string) {
    return this.bytes.get(id) ?? null;
  }
  async remove(id: string) {
    this.bytes.delete(id);
  }
}

/** Time that moves only when told, with the timers it owes. */
function manualClock(): Clock & { advance(ms: number): void; timers: number } {
  let now = 1_000_000;
  const timers = new Map<number, { at: number; run: () => void }>();
  let next = 0;
  return {
    now: () => now,
    setTimeout(run, ms) {
      timers.set(++next, { at: now + ms, run });
      return next;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.run();
        }
      }
    },
    get timers() {
      return timers.size;
    },
  };
}

class OfflineError extends Error {}
class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * The server's side as the phone meets it: a photo per idempotency key, bytes stored per photo,
 * confirmation only of stored bytes. `offline` makes every call fail as without signal.
 */
function fakeServer() {
  const photos = new Map<string, { photoId: number; bytes: Uint8Array | null; confirmed: boolean }>();
  const calls: string[] = [];
  let offline = false;
  let failNextConfirm = false;
  let refuseShipment: number | null = null;
  const byId = (photoId: number) => [...photos.values()].find((photo) => photo.photoId === photoId);
  const transport: PhotoTransport = {
    async requestUpload(request: PhotoUploadRequest): Promise<PhotoUploadAnswer> {
      calls.push(`request ${request.idempotencyKey}`);
      if (offline) throw new OfflineError("offline");
      if (request.shipmentId === refuseShipment) throw new Refused("scope.forbidden");
      const photo = photos.get(request.idempotencyKey) ?? { photoId: photos.size + 1, bytes: null, confirmed: false };
      photos.set(request.idempotencyKey, photo);
      if (photo.confirmed) return { photoId: photo.photoId, status: "confirmed", upload: null, expiresAt: null };
      const upload = { method: "PUT" as const, url: `/api/photos/objects/${photo.photoId}`, headers: {} };
      return { photoId: photo.photoId, status: "pending", upload, expiresAt: new Date() };
    },
    async upload(link, bytes) {
      calls.push(`upload ${link.url}`);
      if (offline) throw new OfflineError("offline");
      const photo = byId(Number(link.url.split("/").at(-1)));
      if (photo) photo.bytes = bytes;
    },
    async confirm(photoId) {
      calls.push(`confirm ${photoId}`);
      if (offline || failNextConfirm) {
        failNextConfirm = false;
        throw new OfflineError("answer lost");
      }
      const photo = byId(photoId);
      if (!photo?.bytes) throw new Refused("distribution.photo_not_uploaded");
      photo.confirmed = true;
      return { photoId, status: "confirmed" };
    },
    finalRefusalOf(error) {
      return error instanceof Refused && error.reason !== "distribution.photo_not_uploaded"
        ? { reason: error.reason, params: {} }
        : null;
    },
  };
  return {
    transport,
    photos,
    calls,
    setOffline: (value: boolean) => {
      offline = value;
    },
    loseNextConfirmAnswer: () => {
      failNextConfirm = true;
    },
    refuseShipment: (shipmentId: number) => {
      refuseShipment = shipmentId;
    },
  };
}

function setup() {
  const entries = new MemoryStore();
  const blobs = new MemoryBlobs();
  const clock = manualClock();
  const server = fakeServer();
  const open = () =>
    new PhotoOutbox({
      entries,
      blobs,
      transport: server.transport,
      clock,
      random: () => 0.5,
      backoff: { baseMs: 1000, maxMs: 60_000 },
    });
  return { entries, blobs, clock, server, open, outbox: open() };
}

const jpeg = (size = 100) => {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff]);
  return bytes;
};

describe("photo outbox", () => {
  it("keeps a photo taken offline across a restart, then sends it once when the connection returns", async () => {
    const { server, blobs, clock, open, outbox } = setup();
    server.setOffline(true);
    const entry = await outbox.add({ shipmentId: 7, shipmentLineId: 3, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    expect(await outbox.list()).toMatchObject([{ id: entry.id, state: "waiting", attempts: 1 }]);
    expect(blobs.bytes.has(entry.id)).toBe(true);

    // The app is closed and opened again, still offline: the photo is still there.
    outbox.stop();
    const reopened = open();
    expect(await reopened.list()).toMatchObject([{ id: entry.id, shipmentLineId: 3, byteSize: 100 }]);

    server.setOffline(false);
    clock.advance(60_000);
    await reopened.flush();
    expect(await reopened.list()).toEqual([]);
    expect(blobs.bytes.size).toBe(0);
    expect([...server.photos.values()]).toMatchObject([{ photoId: 1, confirmed: true }]);
    expect(server.calls.slice(-3)).toEqual([`request ${entry.id}`, "upload /api/photos/objects/1", "confirm 1"]);
  });

  it("waits longer after each failure (backoff) and does not send before it is due", async () => {
    const { server, clock, outbox } = setup();
    server.setOffline(true);
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/png", bytes: jpeg() });
    await outbox.flush();
    const [first] = await outbox.list();
    clock.advance(1);
    await outbox.flush();
    expect((await outbox.list())[0]?.attempts).toBe(1);
    clock.advance((first?.nextAttemptAt ?? 0) - clock.now());
    await outbox.flush();
    const [second] = await outbox.list();
    expect(second?.attempts).toBe(2);
    // Jitter at the midpoint: half of 1 s, then half of 2 s.
    expect((second?.nextAttemptAt ?? 0) - clock.now()).toBe(1000);
  });

  it("sends at once, whatever the backoff, when the connection comes back", async () => {
    const { server, outbox } = setup();
    server.setOffline(true);
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    server.setOffline(false);
    await outbox.flush();
    expect(await outbox.list()).toHaveLength(1);
    await outbox.flush({ now: true });
    expect(await outbox.list()).toEqual([]);
  });

  it("a lost answer to the confirmation resends with the same key: the server keeps one photo", async () => {
    const { server, clock, outbox } = setup();
    server.loseNextConfirmAnswer();
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    expect(await outbox.list()).toHaveLength(1);
    clock.advance(60_000);
    await outbox.flush();
    expect(await outbox.list()).toEqual([]);
    expect(server.photos.size).toBe(1);
  });

  it("keeps a refused photo with its reason and goes on with the others", async () => {
    const { server, blobs, outbox } = setup();
    server.refuseShipment(9);
    const refused = await outbox.add({ shipmentId: 9, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    const accepted = await outbox.add({
      shipmentId: 7,
      shipmentLineId: null,
      contentType: "image/webp",
      bytes: jpeg(),
    });
    await outbox.flush();
    expect(await outbox.list()).toMatchObject([
      { id: refused.id, state: "rejected", rejection: { reason: "scope.forbidden" } },
    ]);
    expect(blobs.bytes.has(accepted.id)).toBe(false);
    await outbox.dismiss(refused.id);
    expect(await outbox.list()).toEqual([]);
  });

  it("refuses on the phone a file that is not a JPEG, PNG or WebP photo, or too large", async () => {
    const { outbox, blobs } = setup();
    await expect(
      outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/gif", bytes: jpeg() }),
    ).rejects.toEqual(new PhotoNotKept("type"));
    await expect(
      outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg(5 * 1024 * 1024 + 1) }),
    ).rejects.toEqual(new PhotoNotKept("size"));
    expect(blobs.bytes.size).toBe(0);
  });

  it("sends each photo once when flushes overlap", async () => {
    const { server, clock, outbox } = setup();
    server.setOffline(true);
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    server.setOffline(false);
    outbox.stop();
    clock.advance(60_000);
    const before = server.calls.length;
    await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    expect(server.calls.slice(before).filter((call) => call.startsWith("upload"))).toHaveLength(1);
    expect(server.calls.slice(before).filter((call) => call.startsWith("confirm"))).toHaveLength(1);
  });

  it("wakes itself when a waiting photo is due, and sign-out wipes photos and bytes", async () => {
    const { server, clock, blobs, outbox } = setup();
    server.setOffline(true);
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    expect(clock.timers).toBe(1);
    await outbox.clear();
    expect(await outbox.list()).toEqual([]);
    expect(blobs.bytes.size).toBe(0);
    expect(clock.timers).toBe(0);
  });
});

describe("clearPhotoDeviceStore", () => {
  it("empties the photos and their bytes of a device whose outbox is not running", async () => {
    const { entries, blobs, server, outbox } = setup();
    server.setOffline(true);
    await outbox.add({ shipmentId: 7, shipmentLineId: null, contentType: "image/jpeg", bytes: jpeg() });
    await outbox.flush();
    outbox.stop();
    await clearPhotoDeviceStore({ entries, blobs });
    expect(blobs.bytes.size).toBe(0);
    expect(await new PhotoOutbox({ entries, blobs, transport: server.transport, clock: setup().clock }).list()).toEqual(
      [],
    );
  });
});
