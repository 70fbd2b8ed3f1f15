/**
 * Group commit for messages from all MQTT connections. Items wait until a flush commits them;
 * only then is each one settled (its PUBACK sent). A failed flush is retried with exponential
 * backoff while the items stay held: nothing is acked, nothing is dropped. Memory stays
 * bounded because each connection hands over one message at a time.
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
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** For tests: the random factor of the backoff jitter. */
  random?: () => number;
}

export class Batcher<T extends BatchItem> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private aborted = false;
  private wakeRetry: (() => void) | null = null;
  /** When the batcher last did something (accepted, flushed, retried): /health uses it. */
  lastActivityAt = Date.now();

  constructor(private readonly options: BatcherOptions<T>) {}

  /** Messages received and not yet committed. */
  get size(): number {
    return this.pending.length + this.inFlight;
  }
  private inFlight = 0;

  add(item: T): void {
    if (this.aborted) return;
    this.pending.push(item);
    this.lastActivityAt = Date.now();
    this.options.onBufferChange?.(this.size);
    this.schedule();
  }

  /** Flushes everything received so far; resolves when it is committed and settled. */
  async drain(): Promise<void> {
    this.clearTimer();
    while (this.flushing || this.pending.length > 0) {
      if (this.aborted) return;
      this.flushing ??= this.run();
      await this.flushing;
    }
  }

  /** Stops retrying and accepting: held items are never settled (the broker redelivers them). */
  abort(): void {
    this.aborted = true;
    this.clearTimer();
    this.wakeRetry?.();
  }

  private schedule(): void {
    if (this.flushing) return; // the running loop picks new items up when it finishes
    const rows = this.pending.reduce((sum, item) => sum + item.rows, 0);
    const everyoneWaiting = this.pending.length >= Math.max(1, this.options.producers());
    if (rows >= this.options.maxRows || everyoneWaiting || this.options.maxWaitMs === 0) {
      this.clearTimer();
      this.flushing = this.run();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.flushing && this.pending.length > 0) this.flushing = this.run();
      }, this.options.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Flushes chunks of at most maxRows rows until nothing is pending. */
  private async run(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.aborted) {
        const chunk = this.takeChunk();
        this.inFlight = chunk.length;
        const committed = await this.flushWithRetry(chunk);
        this.inFlight = 0;
        if (!committed) return;
        for (const item of chunk) item.settle();
        this.lastActivityAt = Date.now();
        this.options.onBufferChange?.(this.size);
      }
    } finally {
      this.flushing = null;
      this.inFlight = 0;
      // Items that arrived during the last flush start a new wait (or flush at once).
      if (this.pending.length > 0 && !this.aborted) this.schedule();
    }
  }

  private takeChunk(): T[] {
    let rows = 0;
    let count = 0;
    for (const item of this.pending) {
      if (count > 0 && rows + item.rows > this.options.maxRows) break;
      rows += item.rows;
      count += 1;
    }
    return this.pending.splice(0, count);
  }

  private async flushWithRetry(chunk: readonly T[]): Promise<boolean> {
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
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeRetry = null;
      }
    }
    return false;
  }
}
