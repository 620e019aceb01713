/**
 * WriteBatcher group commit with `timers.defer` (the system timers' setImmediate): events added in the
 * same event-loop turn go into one transaction even when the store commits synchronously, as SQLite does.
 * Before `defer` existed, the first add started a write at once and every later add of the turn formed
 * its own next batch ([1, 3] below instead of [4]).
 */
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { WriteBatcher, type BatcherTimers } from "./batcher";
import { syntheticRollout } from "./synthetic";
import type { AppendResult } from "./types";

const EVENTS = syntheticRollout({ pods: 10, cluster: "gather" });
const take = (from: number, n: number): LifecycleEvent[] => EVENTS.slice(from, from + n);

/** Timers whose deferred callbacks run only when the test ends the "turn". */
function turnTimers(): BatcherTimers & { endTurn(): void; deferred: number } {
  let queue: (() => void)[] = [];
  return {
    schedule: () => () => undefined,
    now: () => 0,
    defer: (fn) => void queue.push(fn),
    get deferred() {
      return queue.length;
    },
    endTurn() {
      const run = queue;
      queue = [];
      for (const fn of run) fn();
    },
  };
}

/** A store that commits synchronously (like better-sqlite3 behind an async method). */
function syncStore() {
  const batches: string[][] = [];
  return {
    batches,
    append(events: readonly LifecycleEvent[]): Promise<AppendResult> {
      batches.push(events.map((e) => e.id));
      return Promise.resolve({ inserted: events.length, duplicates: 0 });
    },
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("WriteBatcher with defer (group commit per event-loop turn)", () => {
  it("commits everything added in one turn as one transaction, and acknowledges each add after it", async () => {
    const timers = turnTimers();
    const store = syncStore();
    const b = new WriteBatcher({ sink: store, timers });
    const acked: number[] = [];
    const adds = [0, 1, 2, 3].map((i) => b.add(take(i, 1)).then(() => acked.push(i)));
    await settle();
    expect(store.batches).toEqual([]);
    expect(timers.deferred).toBe(1);
    timers.endTurn();
    await Promise.all(adds);
    expect(store.batches).toEqual([take(0, 4).map((e) => e.id)]);
    expect(acked).toEqual([0, 1, 2, 3]);
    expect(b.pending).toBe(0);
  });

  it("starts a full batch (maxEvents) at once without waiting for the turn to end", async () => {
    const timers = turnTimers();
    const store = syncStore();
    const b = new WriteBatcher({ sink: store, timers, maxEvents: 3 });
    const ack = b.add(take(0, 3));
    await ack;
    expect(store.batches.map((x) => x.length)).toEqual([3]);
    expect(timers.deferred).toBe(0);
  });

  it("close flushes what a deferred write was waiting for", async () => {
    const timers = turnTimers();
    const store = syncStore();
    const b = new WriteBatcher({ sink: store, timers });
    const ack = b.add(take(0, 2));
    await b.close();
    await ack;
    expect(store.batches.map((x) => x.length)).toEqual([2]);
    timers.endTurn();
    await settle();
    expect(store.batches.map((x) => x.length)).toEqual([2]);
  });
});
