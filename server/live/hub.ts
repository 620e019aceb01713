/**
 * The live hub: new observations fan out to every open stream (SSE) without blocking the watcher.
 * Each subscriber filters by cluster/namespace and has a bounded queue; a subscriber that cannot keep
 * up is told to refetch instead of being fed an ever-growing backlog.
 */
import type { LifecycleEvent } from "../../lib/model/events";

export interface Subscription {
  readonly cluster?: string;
  readonly namespace?: string;
  /** Called at most every `flushMs` with what arrived since; `overflowed` means events were dropped. */
  readonly deliver: (events: readonly LifecycleEvent[], overflowed: boolean) => void;
}

export interface LiveHub {
  publish(events: readonly LifecycleEvent[]): void;
  subscribe(s: Subscription): () => void;
  readonly subscribers: () => number;
  close(): void;
}

interface Entry {
  readonly sub: Subscription;
  queue: LifecycleEvent[];
  overflowed: boolean;
}

export function createLiveHub(opts: { flushMs?: number; maxQueue?: number; setInterval?: typeof setInterval; clearInterval?: typeof clearInterval } = {}): LiveHub {
  const flushMs = opts.flushMs ?? 100;
  const maxQueue = opts.maxQueue ?? 5000;
  const every = opts.setInterval ?? setInterval;
  const stopEvery = opts.clearInterval ?? clearInterval;
  const entries = new Set<Entry>();
  const flush = () => {
    for (const e of entries) {
      if (e.queue.length === 0 && !e.overflowed) continue;
      const batch = e.queue;
      const overflowed = e.overflowed;
      e.queue = [];
      e.overflowed = false;
      try {
        e.sub.deliver(batch, overflowed);
      } catch {
        // A closed stream throws on write; its route removes the subscription.
      }
    }
  };
  const timer = every(flush, flushMs);
  if (typeof timer === "object" && timer && "unref" in timer) timer.unref();
  return {
    publish(events) {
      for (const e of entries) {
        for (const ev of events) {
          if (e.sub.cluster && ev.cluster !== e.sub.cluster) continue;
          if (e.sub.namespace && ev.namespace !== e.sub.namespace && ev.type !== "watcher-gap") continue;
          if (e.queue.length >= maxQueue) {
            e.overflowed = true;
            break;
          }
          e.queue.push(ev);
        }
      }
    },
    subscribe(sub) {
      const entry: Entry = { sub, queue: [], overflowed: false };
      entries.add(entry);
      return () => void entries.delete(entry);
    },
    subscribers: () => entries.size,
    close() {
      stopEvery(timer);
      flush();
      entries.clear();
    },
  };
}
