/**
 * Batches the watcher's and ingest's appends by group commit: when the store is idle, what is queued is
 * written at once (an in-pod signal is acknowledged after one commit, not after a batch delay); while a
 * write is in flight, everything that arrives queues and goes in the next transaction together, so under
 * load a transaction carries many events and the commit rate never caps ingest. The watcher's adds
 * (`coalesce`) may wait up to `coalesceMs` after the last commit, so a watch burst, which arrives one pod
 * update at a time, shares transactions too (see `add`). `maxDelayMs` > 0 instead waits that long for a
 * batch to fill (up to `maxEvents`).
 *
 * Acknowledgement: `add` resolves only once its events are committed, so a caller that advances a
 * resourceVersion after `await add(…)` never skips an event that is not stored. A failed write keeps the
 * events queued and retries with backoff (appends are idempotent, so a retry cannot duplicate); their
 * `add` promises stay pending until the retry succeeds, or reject at `close` if the store never comes
 * back. `close` flushes everything queued. Memory is bounded: past `maxPending` queued events, `add`
 * rejects at once (the caller records a gap and relists later) instead of growing without limit.
 *
 * Gathering a turn: with group commit, a write that would start at once (an in-pod signal, or what queued
 * during the last write) waits for `timers.defer` (the system timers: `setImmediate`, after the event
 * loop has handled every socket that is ready now). With SQLite the commit is synchronous, so without
 * this no write is ever "in flight" when the next request's body is parsed, and each of 64 concurrent
 * senders got its own transaction (1,300 commits for 1,300 requests in the HTTP bench). Timers without
 * `defer` (the tests' hand-driven ones) start at once.
 *
 * Time is injected (`timers`) so tests drive it by hand.
 */
import type { LifecycleEvent } from "../../lib/model/events";
import type { AppendResult } from "./types";

export interface BatcherTimers {
  /** Run `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
  /** A monotonic clock in ms, for write latency. */
  now(): number;
  /** Run `fn` once the current turn of the event loop is done (optional; see "Gathering a turn"). */
  defer?(fn: () => void): void;
}

export const systemTimers: BatcherTimers = {
  schedule: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
  now: () => performance.now(),
  defer: (fn) => void setImmediate(fn),
};

export interface FlushReport extends AppendResult {
  readonly events: number;
  /** How long the store took to commit the batch: the store write latency metric. */
  readonly latencyMs: number;
}

export interface WriteBatcherOptions {
  readonly sink: { append(events: readonly LifecycleEvent[]): Promise<AppendResult> };
  readonly timers?: BatcherTimers;
  readonly maxEvents?: number;
  readonly maxDelayMs?: number;
  readonly maxPending?: number;
  /** Group commit only: how long a coalescing add may wait after the last commit (default 5 ms; see `add`). */
  readonly coalesceMs?: number;
  /** Upper bound of the retry backoff after failed writes. */
  readonly maxRetryDelayMs?: number;
  readonly onFlush?: (report: FlushReport) => void;
  readonly onError?: (error: unknown, pendingEvents: number) => void;
}

interface Entry {
  readonly events: readonly LifecycleEvent[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

type WriteOutcome = { ok: true } | { ok: false; error: unknown };

/** With group commit (maxDelayMs 0), the first retry after a failed write waits 2 × this; later ones double. */
const RETRY_BASE_MS = 50;

export class BatcherClosedError extends Error {}
export class BatcherFullError extends Error {}

export class WriteBatcher {
  private queue: Entry[] = [];
  private queued = 0;
  private inflight: Promise<WriteOutcome> | undefined;
  private cancelTimer: (() => void) | undefined;
  private deferred = false;
  private failures = 0;
  private closed = false;
  private readonly timers: BatcherTimers;
  private readonly maxEvents: number;
  private readonly maxDelayMs: number;
  private readonly maxPending: number;
  private readonly maxRetryDelayMs: number;
  private readonly coalesceMs: number;
  /** When the last successful write ended (`timers.now()`). */
  private lastCommitAt = -Infinity;
  /** Something queued may not wait for `coalesceMs` (an add without `coalesce`). */
  private urgent = false;

  constructor(private readonly opts: WriteBatcherOptions) {
    this.timers = opts.timers ?? systemTimers;
    this.maxEvents = opts.maxEvents ?? 1000;
    this.maxDelayMs = opts.maxDelayMs ?? 0;
    this.maxPending = opts.maxPending ?? 100_000;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 5000;
    this.coalesceMs = opts.coalesceMs ?? 5;
  }

  /** Events queued or being written, not yet committed. */
  get pending(): number {
    return this.queued;
  }

  /**
   * Resolves once these events are committed. `coalesce` (the watcher's stream): with group commit, when
   * the store is idle but the last commit ended less than `coalesceMs` ago, wait for the rest of that
   * moment instead of committing at once. A watch stream in a burst hands over one pod update at a time,
   * each within microseconds of the last commit, and a SQLite transaction costs about 50 µs of CPU of its
   * own: without the wait a burst got one transaction per update (17,500 for the bench's 20,000 updates),
   * with it one per few ms. Adds without it (in-pod signals, imports) still commit at once.
   */
  add(events: readonly LifecycleEvent[], opts: { readonly coalesce?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new BatcherClosedError("the write batcher is closed"));
    if (events.length === 0) return Promise.resolve();
    if (this.queued + events.length > this.maxPending) {
      return Promise.reject(new BatcherFullError(`write queue full (${this.queued} events waiting for the store)`));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.queued += events.length;
      if (!opts.coalesce) this.urgent = true;
      this.arm();
    });
  }

  /** Writes everything queued now; rejects if the store refuses (the events stay queued for retry). */
  async flush(): Promise<void> {
    for (;;) {
      if (this.inflight) {
        await this.inflight;
        continue;
      }
      if (this.queued === 0) return;
      const outcome = await this.start();
      if (!outcome.ok) throw outcome.error;
    }
  }

  /** Flushes and stops. If the final write fails, queued events are rejected and so is `close`. */
  async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    try {
      await this.flush();
    } catch (err) {
      const lost = this.queue;
      this.queue = [];
      this.queued = 0;
      const error = new Error(`store unavailable at close: ${lost.reduce((n, e) => n + e.events.length, 0)} events not written (${String(err)})`);
      for (const e of lost) e.reject(error);
      throw error;
    }
  }

  /**
   * Start a write now if the batch is full, else make sure a timer will. Group commit writes at once what
   * queued during the last write (`afterWrite`) and any add that may not wait; only coalescing adds that
   * find the store idle just after a commit wait (see `add`).
   */
  private arm(afterWrite = false): void {
    if (this.inflight || this.queued === 0) return;
    let delay = this.maxDelayMs;
    if (this.maxDelayMs === 0) delay = afterWrite || this.urgent || this.closed ? 0 : this.lastCommitAt + this.coalesceMs - this.timers.now();
    if (this.failures === 0 && (delay <= 0 || this.queued >= this.maxEvents)) {
      const defer = this.timers.defer;
      if (defer && this.maxDelayMs === 0 && this.queued < this.maxEvents && !this.closed) {
        // Group commit: let the rest of this turn's arrivals join the transaction ("Gathering a turn").
        if (this.deferred) return;
        this.deferred = true;
        defer(() => {
          this.deferred = false;
          if (!this.inflight && this.queued > 0 && this.failures === 0) void this.start();
        });
        return;
      }
      void this.start();
      return;
    }
    if (this.cancelTimer || this.closed) return;
    // Retries back off from at least RETRY_BASE_MS: with group commit (maxDelayMs 0) they would spin.
    if (this.failures > 0) delay = Math.min((this.maxDelayMs || RETRY_BASE_MS) * 2 ** this.failures, this.maxRetryDelayMs);
    this.cancelTimer = this.timers.schedule(() => {
      this.cancelTimer = undefined;
      void this.start();
    }, delay);
  }

  private disarm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private start(): Promise<WriteOutcome> {
    if (this.inflight) return this.inflight;
    this.disarm();
    const batch = this.queue;
    const count = this.queued;
    this.queue = [];
    this.urgent = false;
    this.inflight = this.write(batch, count).then((outcome) => {
      this.inflight = undefined;
      this.arm(true);
      return outcome;
    });
    return this.inflight;
  }

  /** Never rejects: a timer-driven write has nobody to reject to. */
  private async write(batch: Entry[], count: number): Promise<WriteOutcome> {
    if (count === 0) return { ok: true };
    const events = batch.length === 1 && batch[0] ? batch[0].events : batch.flatMap((e) => e.events);
    const t0 = this.timers.now();
    try {
      const res = await this.opts.sink.append(events);
      this.failures = 0;
      this.lastCommitAt = this.timers.now();
      this.queued -= count;
      this.opts.onFlush?.({ ...res, events: count, latencyMs: this.timers.now() - t0 });
      for (const e of batch) e.resolve();
      return { ok: true };
    } catch (error) {
      this.failures++;
      this.queue = batch.concat(this.queue);
      this.opts.onError?.(error, this.queued);
      return { ok: false, error };
    }
  }
}
