/** Runs a batch of items; must return one result per item, in order. */
export type BatchRunner<I, O> = (items: readonly I[]) => Promise<O[]>;

export interface BatcherStats {
  runs: number;
  items: number;
  largestBatch: number;
  /** Time spent in the runner, summed over every run (seconds). */
  runSeconds: number;
}

/** What one run of the runner came to: told to each observer after the run settles. */
export interface BatchRun {
  /** Items in the batch. */
  size: number;
  /** Time in the runner (seconds). */
  seconds: number;
  /** False when the run failed (its items were rejected). */
  ok: boolean;
}

/** Sees every run (e.g. to feed histograms); must not throw. */
export type BatchObserver = (run: Readonly<BatchRun>) => void;

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * Micro-batching for one model session: `submit` queues an item; a batch runs when `maxBatch`
 * items wait or `maxWaitMs` after the first of them arrived, whichever is first. One batch runs
 * at a time, so items that arrive during a run form the next batch (under load the batches grow
 * by themselves). A failed run rejects every item of that batch and nothing else.
 */
export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private firstQueuedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly counters: BatcherStats = { runs: 0, items: 0, largestBatch: 0, runSeconds: 0 };
  private readonly observers = new Set<BatchObserver>();

  constructor(
    private readonly runner: BatchRunner<I, O>,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      if (this.queue.length === 0) this.firstQueuedAt = this.now();
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  stats(): Readonly<BatcherStats> {
    return { ...this.counters };
  }

  /** Adds an observer of every later run; returns its removal. */
  observe(observer: BatchObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.queue.length >= this.maxBatch) {
      this.clearTimer();
      void this.flush();
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.maxWaitMs - (this.now() - this.firstQueuedAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) this.firstQueuedAt = this.now();
    this.counters.runs++;
    this.counters.items += batch.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    const started = this.now();
    let ok = false;
    try {
      const results = await this.runner(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new RangeError(`batch runner returned ${results.length} results for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(results[i]!));
      ok = true;
    } catch (err: unknown) {
      for (const p of batch) p.reject(err);
    } finally {
      const seconds = (this.now() - started) / 1000;
      this.counters.runSeconds += seconds;
      this.running = false;
      for (const observe of this.observers) observe({ size: batch.length, seconds, ok });
      this.schedule();
    }
  }
}
