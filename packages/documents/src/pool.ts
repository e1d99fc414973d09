export type PoolOptions<T> = {
  size: number;
  create(): Promise<T>;
  destroy(resource: T): Promise<void>;
  /** Replace a resource after this many uses (bounds slow leaks such as a wasm heap that never shrinks). */
  maxUses?: number;
};

type Entry<T> = { resource: T; uses: number };
type Waiter<T> = { resolve(entry: Entry<T>): void; reject(err: Error): void };

/**
 * Lazily-filled pool of long-lived resources (OCR workers). Callers queue FIFO for a free
 * one; a resource whose job threw is destroyed rather than reused, since its state is unknown.
 */
export class ResourcePool<T> {
  private readonly free: Entry<T>[] = [];
  private readonly waiting: Waiter<T>[] = [];
  private live = 0; // created or being created
  private busy = 0;
  private creating = 0;
  private closed = false;
  private drained: (() => void) | undefined;

  constructor(private readonly opts: PoolOptions<T>) {
    if (!(opts.size >= 1)) throw new RangeError('pool size must be at least 1');
  }

  get stats() {
    return { live: this.live, busy: this.busy, free: this.free.length, waiting: this.waiting.length };
  }

  async use<R>(fn: (resource: T) => Promise<R>): Promise<R> {
    const entry = await this.acquire();
    this.busy++;
    let ok = false;
    try {
      const result = await fn(entry.resource);
      ok = true;
      return result;
    } finally {
      this.busy--;
      entry.uses++;
      this.release(entry, ok);
    }
  }

  /** Rejects queued callers, waits for running jobs, then destroys every resource. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error('pool is closed'));
    if (this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await Promise.all(this.free.splice(0).map((e) => this.retire(e)));
  }

  private acquire(): Promise<Entry<T>> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    const entry = this.free.pop();
    if (entry) return Promise.resolve(entry);
    const queued = new Promise<Entry<T>>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.grow();
    return queued;
  }

  private release(entry: Entry<T>, healthy: boolean): void {
    const worn = this.opts.maxUses !== undefined && entry.uses >= this.opts.maxUses;
    if (!healthy || worn || this.closed) void this.retire(entry);
    else {
      const next = this.waiting.shift();
      if (next) next.resolve(entry);
      else this.free.push(entry);
    }
    if (this.closed && this.busy === 0) this.drained?.();
    this.grow();
  }

  // Create resources only while someone is waiting: the pool fills on demand, never ahead.
  private grow(): void {
    while (!this.closed && this.live < this.opts.size && this.waiting.length > this.creating) {
      this.live++;
      this.creating++;
      this.opts.create().then(
        (resource) => {
          this.creating--;
          const entry = { resource, uses: 0 };
          const next = this.waiting.shift();
          if (next) next.resolve(entry);
          else if (this.closed) void this.retire(entry);
          else this.free.push(entry);
        },
        (err: unknown) => {
          this.creating--;
          this.live--;
          this.waiting.shift()?.reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    }
  }

  private async retire(entry: Entry<T>): Promise<void> {
    this.live--;
    await this.opts.destroy(entry.resource).catch(() => undefined);
  }
}
