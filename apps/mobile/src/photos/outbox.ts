import { randomUuid } from "@rantai/ui/uuid";
import { type BackoffPolicy, backoffDelay, defaultBackoff } from "../sync/backoff";
import { type KeyValueStore, readJson, writeJson } from "../sync/storage";
import type { Clock } from "../sync/types";
import {
  maxPhotoBytes,
  type PhotoBlobStore,
  type PhotoContentType,
  type PhotoEntry,
  type PhotoTransport,
  photoContentTypes,
} from "./types";

const ENTRIES_KEY = "rantai.photos.outbox";

/** Why a photo was not kept on the phone at all; the screen says it in the user's words. */
export class PhotoNotKept extends Error {
  constructor(readonly reason: "type" | "size") {
    super(reason === "type" ? "only JPEG, PNG or WebP photos can be attached" : "the photo is too large");
  }
}

export interface PhotoOutboxOptions {
  entries: KeyValueStore;
  blobs: PhotoBlobStore;
  transport: PhotoTransport;
  clock: Clock;
  random?: () => number;
  backoff?: BackoffPolicy;
  maxBytes?: number;
  /** Told after every change of the entries, for the screens. */
  onChange?: (entries: readonly PhotoEntry[]) => void;
}

/**
 * Photos taken on the phone, kept on the device until the server confirms them. A photo is
 * stored (bytes first, then its entry) before `add` returns, so closing the app loses nothing;
 * `flush` sends each waiting photo in turn — ask for a signed link, send the bytes, confirm —
 * and removes it only once confirmed. The request carries the photo's own id as idempotency key,
 * so a retry after a lost answer gets the same photo on the server, never a second one. A
 * failure waits with exponential backoff and jitter; a final refusal is kept with its reason.
 */
export class PhotoOutbox {
  private entries: PhotoEntry[] | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private retryTimer: unknown = null;
  private stopped = false;
  private ignoreBackoff = false;

  constructor(private readonly options: PhotoOutboxOptions) {}

  async list(): Promise<readonly PhotoEntry[]> {
    return this.load();
  }

  /** Keeps a photo for a shipment (or one of its lines) and starts sending it. */
  async add(photo: {
    shipmentId: number;
    shipmentLineId: number | null;
    contentType: string;
    bytes: Uint8Array<ArrayBuffer>;
  }): Promise<PhotoEntry> {
    const contentType = photoContentTypes.find((type) => type === photo.contentType.toLowerCase());
    if (!contentType) throw new PhotoNotKept("type");
    if (photo.bytes.byteLength === 0 || photo.bytes.byteLength > (this.options.maxBytes ?? maxPhotoBytes)) {
      throw new PhotoNotKept("size");
    }
    const now = this.options.clock.now();
    const entry: PhotoEntry = {
      id: randomUuid(),
      shipmentId: photo.shipmentId,
      shipmentLineId: photo.shipmentLineId,
      contentType: contentType satisfies PhotoContentType,
      byteSize: photo.bytes.byteLength,
      takenAt: now,
      state: "waiting",
      attempts: 0,
      nextAttemptAt: now,
      rejection: null,
    };
    // Bytes before the entry: an entry never points at bytes that were not stored.
    await this.options.blobs.save(entry.id, photo.bytes);
    await this.change((entries) => [...entries, entry]);
    void this.flush();
    return entry;
  }

  /** Drops a refused photo the user has seen. */
  async dismiss(id: string): Promise<void> {
    await this.change((entries) => entries.filter((entry) => entry.id !== id || entry.state !== "rejected"));
  }

  /** The app closes or the session ends: no timer keeps this outbox sending. */
  stop(): void {
    this.stopped = true;
    this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Sign-out: no photo of this facility stays on the phone. */
  async clear(): Promise<void> {
    this.options.clock.clearTimeout(this.retryTimer);
    const entries = await this.load();
    await this.change(() => []);
    for (const entry of entries) await this.options.blobs.remove(entry.id);
  }

  /**
   * Sends the photos that are due, oldest first. Single flight: a call during a flush joins it.
   * `now` sends every waiting photo whatever its backoff: the connection or the app just came back.
   */
  flush(options: { now?: boolean } = {}): Promise<void> {
    if (options.now) this.ignoreBackoff = true;
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = this.runFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async runFlush(): Promise<void> {
    do {
      this.flushAgain = false;
      const now = this.ignoreBackoff ? Number.POSITIVE_INFINITY : this.options.clock.now();
      this.ignoreBackoff = false;
      const due = (await this.load()).filter((entry) => entry.state === "waiting" && entry.nextAttemptAt <= now);
      for (const entry of due) await this.send(entry);
    } while (this.flushAgain);
    this.scheduleRetry();
  }

  private async send(entry: PhotoEntry): Promise<void> {
    const { transport, blobs } = this.options;
    try {
      const answer = await transport.requestUpload({
        idempotencyKey: entry.id,
        shipmentId: entry.shipmentId,
        ...(entry.shipmentLineId === null ? {} : { shipmentLineId: entry.shipmentLineId }),
        contentType: entry.contentType,
        byteSize: entry.byteSize,
      });
      if (answer.upload) {
        const bytes = await blobs.read(entry.id);
        if (!bytes) return this.reject(entry, { reason: "photo.missing_on_device", params: {} });
        await transport.upload(answer.upload, bytes);
        await transport.confirm(answer.photoId);
      }
      // Confirmed: the entry goes first, so a crash here leaves stray bytes, never a lost photo.
      await this.change((entries) => entries.filter((kept) => kept.id !== entry.id));
      await blobs.remove(entry.id);
    } catch (error) {
      const refusal = transport.finalRefusalOf(error);
      if (refusal) return this.reject(entry, refusal);
      const random = this.options.random ?? Math.random;
      const wait = backoffDelay(entry.attempts, this.options.backoff ?? defaultBackoff, random);
      await this.update(entry.id, (kept) => ({
        ...kept,
        attempts: kept.attempts + 1,
        nextAttemptAt: this.options.clock.now() + wait,
      }));
    }
  }

  private async reject(entry: PhotoEntry, rejection: PhotoEntry["rejection"]): Promise<void> {
    await this.update(entry.id, (kept) => ({ ...kept, state: "rejected", rejection }));
    await this.options.blobs.remove(entry.id);
  }

  /** Wakes the outbox when the earliest waiting photo is due again. */
  private scheduleRetry(): void {
    const { clock } = this.options;
    clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.stopped) return;
    const waiting = (this.entries ?? []).filter((entry) => entry.state === "waiting");
    if (waiting.length === 0) return;
    const next = Math.min(...waiting.map((entry) => entry.nextAttemptAt));
    this.retryTimer = clock.setTimeout(() => void this.flush(), Math.max(0, next - clock.now()));
  }

  private async load(): Promise<PhotoEntry[]> {
    this.entries ??= await readJson<PhotoEntry[]>(this.options.entries, ENTRIES_KEY, []);
    return this.entries;
  }

  private update(id: string, change: (entry: PhotoEntry) => PhotoEntry): Promise<void> {
    return this.change((entries) => entries.map((entry) => (entry.id === id ? change(entry) : entry)));
  }

  /** Every change is written before it is reported; changes are serialised within the process. */
  private change(apply: (entries: PhotoEntry[]) => PhotoEntry[]): Promise<void> {
    const run = this.tail.then(async () => {
      const next = apply(await this.load());
      await writeJson(this.options.entries, ENTRIES_KEY, next);
      this.entries = next;
      this.options.onChange?.(next);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Empties the photo store of a device with no outbox running (sign-out from any screen). */
export async function clearPhotoDeviceStore(store: { entries: KeyValueStore; blobs: PhotoBlobStore }): Promise<void> {
  const entries = await readJson<PhotoEntry[]>(store.entries, ENTRIES_KEY, []);
  await writeJson(store.entries, ENTRIES_KEY, []);
  for (const entry of entries) await store.blobs.remove(entry.id);
}
