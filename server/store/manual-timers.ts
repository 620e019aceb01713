/**
 * Hand-driven timers for WriteBatcher tests: nothing fires until `advance(ms)` moves the clock past it,
 * so a test states exactly when a batch is written. Test support only.
 */
import type { BatcherTimers } from "./batcher";

export interface ManualTimers extends BatcherTimers {
  /** Moves the clock by `ms` and runs every timer now due, in the order they were scheduled. */
  advance(ms: number): void;
  clock: number;
  /** Timers scheduled and neither run nor cancelled. */
  readonly scheduled: number;
}

export function manualTimers(): ManualTimers {
  const timers: { due: number; fn: () => void; live: boolean }[] = [];
  const t = {
    clock: 0,
    get scheduled() {
      return timers.filter((x) => x.live).length;
    },
    now: () => t.clock,
    schedule(fn: () => void, ms: number) {
      const entry = { due: t.clock + ms, fn, live: true };
      timers.push(entry);
      return () => void (entry.live = false);
    },
    advance(ms: number) {
      t.clock += ms;
      for (const x of timers) {
        if (x.live && x.due <= t.clock) {
          x.live = false;
          x.fn();
        }
      }
    },
  };
  return t;
}

