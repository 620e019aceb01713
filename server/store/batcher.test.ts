/**
 * WriteBatcher on hand-driven timers and a fake store: batching by size and by delay, acknowledgement
 * only after commit, retry without loss when the store fails, back-pressure, and flush on close.
 */
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { BatcherClosedError, BatcherFullError, WriteBatcher, type FlushReport } from "./batcher";
import { manualTimers } from "./manual-timers";
import { syntheticRollout } from "./synthetic";
import type { AppendResult } from "./types";

const EVENTS = syntheticRollout({ pods: 10, cluster: "batch" });
const take = (from: number, n: number): LifecycleEvent[] => EVENTS.slice(from, from + n);

/** A store double: records batches, can be told to fail, commits after an optional simulated latency. */
function fakeStore(timers: { clock: number }) {
  const batches: LifecycleEvent[][] = [];
  const stored = new Set<string>();
  const s = {
    batches,
    stored,
    failNext: 0,
    latencyMs: 0,
    async append(events: readonly LifecycleEvent[]): Promise<AppendResult> {
      await Promise.resolve();
      if (s.failNext > 0) {
        s.failNext--;
        throw new Error("database is locked");
      }
      timers.clock += s.latencyMs;
      batches.push([...events]);
      let inserted = 0;
      for (const e of events) if (!stored.has(e.id) && stored.add(e.id)) inserted++;
      return { inserted, duplicates: events.length - inserted };
    },
  };
  return s;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("WriteBatcher", () => {
  it("writes one batch when maxEvents are queued, without waiting for the timer", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    const reports: FlushReport[] = [];
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 10, maxDelayMs: 100, onFlush: (r) => reports.push(r) });
    const acks = [b.add(take(0, 4)), b.add(take(4, 6))];
    await Promise.all(acks);
    expect(store.batches.map((x) => x.length)).toEqual([10]);
    expect(reports).toEqual([{ events: 10, inserted: 10, duplicates: 0, latencyMs: 0 }]);
    expect(b.pending).toBe(0);
  });

  it("by default commits at once when idle, and groups what arrives during a write into the next transaction", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    const b = new WriteBatcher({ sink: store, timers });
    const acked: number[] = [];
    const first = b.add(take(0, 1)).then(() => acked.push(0));
    // Queued while the first write is in flight (no timer advanced at all): one group commit.
    const rest = [1, 2, 3, 4].map((i) => b.add(take(i, 1)).then(() => acked.push(i)));
    await Promise.all([first, ...rest]);
    expect(store.batches.map((x) => x.length)).toEqual([1, 4]);
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(b.pending).toBe(0);
  });

  it("writes a partial batch after maxDelayMs, and acknowledges only after the commit", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    store.latencyMs = 7;
    const reports: FlushReport[] = [];
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 100, maxDelayMs: 50, onFlush: (r) => reports.push(r) });
    let acked = false;
    void b.add(take(0, 3)).then(() => (acked = true));
    timers.advance(49);
    await settle();
    expect(acked).toBe(false);
    expect(store.batches).toHaveLength(0);
    timers.advance(1);
    await settle();
    expect(acked).toBe(true);
    expect(store.batches.map((x) => x.length)).toEqual([3]);
    expect(reports[0]?.latencyMs).toBe(7);
  });

  it("keeps events through a failed write and retries them with backoff; nothing is lost or doubled", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    store.failNext = 2;
    const errors: number[] = [];
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 100, maxDelayMs: 10, onError: (_e, pending) => errors.push(pending) });
    let acked = false;
    void b.add(take(0, 5)).then(() => (acked = true));
    timers.advance(10);
    await settle();
    expect(errors).toEqual([5]);
    void b.add(take(5, 5));
    timers.advance(10); // backoff is 20 ms after the first failure
    await settle();
    expect(errors).toEqual([5]);
    timers.advance(10);
    await settle();
    expect(errors).toEqual([5, 10]);
    timers.advance(40);
    await settle();
    expect(acked).toBe(true);
    expect(store.batches).toHaveLength(1);
    expect(store.batches[0]?.map((e) => e.id)).toEqual(take(0, 10).map((e) => e.id));
    expect(b.pending).toBe(0);
  });

  it("flushes on close, then refuses new events", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 100, maxDelayMs: 1000 });
    const ack = b.add(take(0, 7));
    await b.close();
    await ack;
    expect(store.stored.size).toBe(7);
    expect(timers.scheduled).toBe(0);
    await expect(b.add(take(7, 1))).rejects.toBeInstanceOf(BatcherClosedError);
  });

  it("rejects the queued events, and close itself, when the store is down at close", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    store.failNext = 5;
    const b = new WriteBatcher({ sink: store, timers, maxDelayMs: 1000 });
    const ack = b.add(take(0, 3));
    await expect(b.close()).rejects.toThrow(/3 events not written/);
    await expect(ack).rejects.toThrow(/3 events not written/);
  });

  it("pushes back once maxPending events are waiting", async () => {
    const timers = manualTimers();
    const store = fakeStore(timers);
    store.failNext = 100;
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 5, maxDelayMs: 10, maxPending: 8 });
    void b.add(take(0, 5)).catch(() => undefined);
    await settle();
    await expect(b.add(take(5, 4))).rejects.toBeInstanceOf(BatcherFullError);
    expect(b.pending).toBe(5);
    store.failNext = 0;
    timers.advance(20);
    await settle();
    expect(b.pending).toBe(0);
    await b.close();
  });
});
