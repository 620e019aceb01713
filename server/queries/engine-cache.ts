/**
 * Engine results, kept per store: a view asked again (another viewer, a reload, a live view's refetch
 * after events that changed nothing in scope, the no-range view's second look) is finished from the kept
 * result instead of querying and computing again.
 *
 * The key is everything the result depends on: the data version of the query's cluster (any write to it,
 * here or by another process, changes it; a write to another cluster does not: data-versions.ts), the
 * query's scope and range, the still-open watcher gaps joined to it, and whether the cluster is live. Not `now`: the kept part (`TimelineCore`) does not depend
 * on it, and `finishTimeline` applies each request's clock, so a live view whose clock moves every second
 * is not recomputed while nothing is written. Bounded: least recently used entries go first, by count
 * and by the events behind them. A request for a result being computed joins that computation instead of
 * starting the same one again (two viewers opening a page at once, the read warm-up: server/runtime/read-warmer.ts).
 */
import { computeTimelineCore, finishTimeline, type TimelineCore } from "../../lib/engine/timeline";
import type { Timeline } from "../../lib/engine/types";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import type { EventQuery, Store } from "../store/types";
import { BoundedLru } from "./bounded-lru";
import { scopedDataVersion } from "./data-versions";
import { processShared } from "./process-shared";

/**
 * Kept results per store, and the events behind them all: a 10,000-pod rollout is about 136,000 events
 * and its result about 28 MB of heap (1,000 pods: 3.5 MB), so at most about 60–90 MB are kept: two
 * views of the largest rollouts (the no-range view's last day and the page's bucket window), or many
 * small ones.
 */
export const ENGINE_CACHE_MAX_ENTRIES = 16;
export const ENGINE_CACHE_MAX_EVENTS = 300_000;

export interface EngineRun {
  readonly timeline: Timeline;
  /** Events the engine read: the stored ones and the open gaps. */
  readonly eventCount: number;
}

interface Entry {
  readonly core: TimelineCore;
  readonly eventCount: number;
}

// Per process, not per module graph (process-shared.ts).
const caches = processShared("engineResults", () => new WeakMap<Store, BoundedLru<Entry>>());
/** Results being computed, by key: joined, never computed twice. */
const computing = processShared("engineResultsComputing", () => new WeakMap<Store, Map<string, Promise<Entry>>>());

/** How many results are kept for this store (for tests). */
export function engineCacheSize(store: Store): number {
  return caches.get(store)?.size ?? 0;
}

/**
 * The engine's result for what `query` returns from `store` plus `gaps` (open watcher gaps, which live in
 * the runtime, not the store), as of `clock.now`.
 */
export async function runEngine(store: Store, query: EventQuery, gaps: readonly WatcherGap[], clock: { readonly now: number; readonly live: boolean }): Promise<EngineRun> {
  // The version is read before the query: a write in between leaves a result newer than its key, never older.
  const version = await scopedDataVersion(store, query.cluster);
  const finish = (e: Entry): EngineRun => ({ timeline: finishTimeline(e.core, clock.now), eventCount: e.eventCount });
  if (version === undefined) return finish(await compute(store, query, gaps, clock.live));
  const key = JSON.stringify([version, clock.live, query.cluster, query.namespace, query.service, query.podUids, query.from, query.to, query.limit, gaps]);
  const hit = caches.get(store)?.get(key);
  if (hit) return finish(hit);
  let inFlight = computing.get(store);
  if (!inFlight) computing.set(store, (inFlight = new Map()));
  const running = inFlight.get(key);
  if (running) return finish(await running);
  const started = compute(store, query, gaps, clock.live);
  inFlight.set(key, started);
  try {
    const entry = await started;
    // Looked up again: another request may have made the store's cache while this one computed.
    let cache = caches.get(store);
    if (!cache) caches.set(store, (cache = new BoundedLru<Entry>(ENGINE_CACHE_MAX_ENTRIES, ENGINE_CACHE_MAX_EVENTS, (e) => e.eventCount)));
    cache.set(key, entry);
    return finish(entry);
  } finally {
    inFlight.delete(key);
  }
}

async function compute(store: Store, query: EventQuery, gaps: readonly WatcherGap[], live: boolean): Promise<Entry> {
  const stored = await store.query(query);
  // Two long synchronous steps (reading and parsing, then the engine): let waiting requests in between.
  await new Promise((resolve) => setImmediate(resolve));
  const events: LifecycleEvent[] = gaps.length ? [...stored, ...gaps] : stored;
  return { core: computeTimelineCore(events, { live }), eventCount: events.length };
}
