/**
 * Group commit for messages from all MQTT connections. Items wait until a flush commits them;
 * only then is each one settled (its PUBACK sent). A failed flush is retried with exponential
 * backoff while the items stay held: nothing is acked, nothing is dropped. Memory stays
 * bounded because each connection hands over one message at a time.
 *
 * Items are spread over `lanes` by `laneOf` (ingest: by device id). Each lane flushes one
 * batch at a time, in arrival order; different lanes flush at the same time, so the process
 * prepares one batch while the database writes another. A device always lands in the same
 * lane, so its messages are committed in the order they arrived and two lanes never wait on
 * the same sensor's lock.
 */

export interface BatchItem {
  /** Reading rows this item will write (0 for status or rejected messages). */
  readonly rows: number;
  /** Called once, after the flush that contained the item committed. */
  settle(): void;
}

export interface BatcherOptions<T extends BatchItem> {
  maxRows: number;
  maxWaitMs: number;
  /** How many sources can add items now; once each has one waiting, waiting longer gains nothing. */
  producers(): number;
  /** Writes the items in one transaction; throws to have the same items retried. */
  flush(items: readonly T[]): Promise<void>;
  onFlushError(error: unknown, attempt: number, retryInMs: number): void;
  onBufferChange?(messages: number): void;
  /** An item's settle() threw (it was committed; the broker will redeliver it). */
  onSettleError?(error: unknown): void;
  /** Flushes that may run at once (default 1). */
  lanes?: number;
  /** Which lane an item belongs to (any integer; taken modulo `lanes`). */
  laneOf?(item: T): number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** For tests: the random factor of the backoff jitter. */
  random?: () => number;
}

interface Lane<T> {
  pending: T[];
  pendingRows: number;
  inFlight: number;
  flushing: Promise<void> | null;
  timer: NodeJS.Timeout | null;
  wakeRetry: (() => void) | null;
}

export class Batcher<T extends BatchItem> {
  private readonly lanes: Lane<T>[];
  private aborted = false;
  /** When the batcher last did something (accepted, flushed, retried): /health uses it. */
  lastActivityAt = Date.now();

  constructor(private readonly options: BatcherOptions<T>) {
    const count = Math.max(1, Math.floor(options.lanes ?? 1));
    this.lanes = Array.from({ length: count }, () => ({
      pending: [],
      pendingRows: 0,
      inFlight: 0,
      flushing: null,
      timer: null,
      wakeRetry: null,
    }));
  }

  /** Messages received and not yet committed. */
  get size(): number {
    let size = 0;
    for (const lane of this.lanes) size += lane.pending.length + lane.inFlight;
    return size;
  }

  add(item: T): void {
    if (this.aborted) return;
    const lane = this.laneFor(item);
    lane.pending.push(item);
    lane.pendingRows += item.rows;
    this.lastActivityAt = Date.now();
    this.options.onBufferChange?.(this.size);
    this.schedule();
  }

  /** Flushes everything received so far; resolves when it is committed and settled. */
  async drain(): Promise<void> {
    for (const lane of this.lanes) this.clearTimer(lane);
    for (;;) {
      if (this.aborted) return;
      const busy = this.lanes.filter((lane) => lane.flushing || lane.pending.length > 0);
      if (busy.length === 0) return;
      for (const lane of busy) lane.flushing ??= this.run(lane);
      await Promise.all(busy.map((lane) => lane.flushing));
    }
  }

  /** Stops retrying and accepting: held items are never settled (the broker redelivers them). */
  abort(): void {
    this.aborted = true;
    for (const lane of this.lanes) {
      this.clearTimer(lane);
      lane.wakeRetry?.();
    }
  }

  private laneFor(item: T): Lane<T> {
    if (this.lanes.length === 1 || !this.options.laneOf) return this.lanes[0] as Lane<T>;
    const index = Math.abs(Math.trunc(this.options.laneOf(item))) % this.lanes.length;
    return this.lanes[index] as Lane<T>;
  }

  /**
   * Starts a flush in every idle lane that should flush now: its rows reached maxRows, or every
   * producer is blocked on an unsettled item (nothing more can arrive before a commit), or
   * there is no wait. Otherwise the lane flushes when its oldest item has waited maxWaitMs.
   */
  private schedule(): void {
    const everyoneBlocked = this.size >= Math.max(1, this.options.producers());
    for (const lane of this.lanes) {
      if (lane.flushing || lane.pending.length === 0) continue;
      if (lane.pendingRows >= this.options.maxRows || everyoneBlocked || this.options.maxWaitMs === 0) {
        this.clearTimer(lane);
        lane.flushing = this.run(lane);
      } else if (!lane.timer) {
        lane.timer = setTimeout(() => {
          lane.timer = null;
          if (!lane.flushing && lane.pending.length > 0) lane.flushing = this.run(lane);
        }, this.options.maxWaitMs);
      }
    }
  }

  private clearTimer(lane: Lane<T>): void {
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
  }

  /** Flushes the lane in chunks of at most maxRows rows until nothing is pending. */
  private async run(lane: Lane<T>): Promise<void> {
    try {
      while (lane.pending.length > 0 && !this.aborted) {
        const chunk = this.takeChunk(lane);
        lane.inFlight = chunk.length;
        const committed = await this.flushWithRetry(lane, chunk);
        lane.inFlight = 0;
        if (!committed) return;
        for (const item of chunk) this.settleSafely(item);
        this.lastActivityAt = Date.now();
        this.options.onBufferChange?.(this.size);
      }
    } finally {
      lane.flushing = null;
      lane.inFlight = 0;
      // Items that arrived during the last flush start a new wait (or flush at once).
      if (!this.aborted) this.schedule();
    }
  }

  /**
   * Settling acks a committed item over MQTT; should that ever throw (a socket torn down under
   * it), the rest of the chunk must still be acked and the process must not die of it: the
   * broker redelivers an unacked item, and its rows are already committed.
   */
  private settleSafely(item: T): void {
    try {
      item.settle();
    } catch (error) {
      this.options.onSettleError?.(error);
    }
  }

  private takeChunk(lane: Lane<T>): T[] {
    let rows = 0;
    let count = 0;
    for (const item of lane.pending) {
      if (count > 0 && rows + item.rows > this.options.maxRows) break;
      rows += item.rows;
      count += 1;
    }
    lane.pendingRows -= rows;
    return lane.pending.splice(0, count);
  }

  private async flushWithRetry(lane: Lane<T>, chunk: readonly T[]): Promise<boolean> {
    const initial = this.options.backoffInitialMs ?? 100;
    const max = this.options.backoffMaxMs ?? 5000;
    const random = this.options.random ?? Math.random;
    for (let attempt = 1; !this.aborted; attempt += 1) {
      try {
        await this.options.flush(chunk);
        return true;
      } catch (error) {
        this.lastActivityAt = Date.now();
        // Full backoff on the cap, jittered down to half, so replicas do not retry in step.
        const delay = Math.round(Math.min(max, initial * 2 ** (attempt - 1)) * (0.5 + random() / 2));
        this.options.onFlushError(error, attempt, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          lane.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        lane.wakeRetry = null;
      }
    }
    return false;
  }
}
