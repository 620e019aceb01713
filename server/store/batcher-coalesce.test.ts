/**
 * WriteBatcher group commit with `coalesce` (the watcher's stream): an add that finds the store idle right
 * after a commit waits up to `coalesceMs`, so a burst of one-update adds shares a transaction; adds without
 * it (in-pod signals) still commit at once, and cut a wait short. Hand-driven time, a store double.
 */
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../lib/model/events";
import { WriteBatcher } from "./batcher";
import { manualTimers } from "./manual-timers";
import { syntheticRollout } from "./synthetic";
import type { AppendResult } from "./types";

const EVENTS = syntheticRollout({ pods: 10, cluster: "coalesce" });
const one = (i: number): LifecycleEvent[] => EVENTS.slice(i, i + 1);

function recordingStore() {
  const batches: string[][] = [];
  return {
    batches,
    async append(events: readonly LifecycleEvent[]): Promise<AppendResult> {
      await Promise.resolve();
      batches.push(events.map((e) => e.id));
      return { inserted: events.length, duplicates: 0 };
    },
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A batcher (coalesceMs 5) whose first coalescing add has been written, not only acknowledged. */
async function justCommitted() {
  const timers = manualTimers();
  const store = recordingStore();
  const b = new WriteBatcher({ sink: store, timers, coalesceMs: 5 });
  await b.add(one(0), { coalesce: true });
  await settle();
  return { timers, store, b };
}

describe("WriteBatcher coalescing adds", () => {
  it("commits the first add at once, then groups a burst of adds for coalesceMs after the last commit", async () => {
    const timers = manualTimers();
    const store = recordingStore();
    const b = new WriteBatcher({ sink: store, timers, coalesceMs: 5 });
    const acks = [b.add(one(0), { coalesce: true })];
    await settle();
    expect(store.batches).toEqual([[EVENTS[0]?.id]]);
    // The burst goes on: each add finds the store idle 1 ms after the commit.
    for (const i of [1, 2, 3]) {
      timers.advance(1);
      acks.push(b.add(one(i), { coalesce: true }));
      await settle();
    }
    expect(store.batches).toHaveLength(1);
    timers.advance(2); // 5 ms after the first commit
    await settle();
    await Promise.all(acks);
    expect(store.batches).toEqual([[EVENTS[0]?.id], [1, 2, 3].map((i) => EVENTS[i]?.id)]);
  });

  it("commits at once after a quiet moment longer than coalesceMs", async () => {
    const { timers, store, b } = await justCommitted();
    timers.advance(5);
    const ack = b.add(one(1), { coalesce: true });
    await settle();
    await ack;
    expect(store.batches.map((x) => x.length)).toEqual([1, 1]);
  });

  it("an add without coalesce commits at once, taking the waiting adds with it", async () => {
    const { store, b } = await justCommitted();
    const waiting = b.add(one(1), { coalesce: true });
    await settle();
    expect(store.batches).toHaveLength(1);
    const signal = b.add(one(2));
    await settle();
    await Promise.all([waiting, signal]);
    expect(store.batches.map((x) => x.length)).toEqual([1, 2]);
  });

  it("close writes what is waiting without the timer", async () => {
    const { store, b } = await justCommitted();
    const waiting = b.add(one(1), { coalesce: true });
    await b.close();
    await waiting;
    expect(store.batches.map((x) => x.length)).toEqual([1, 1]);
  });
});
