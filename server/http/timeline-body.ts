/**
 * GET /api/timeline's body, encoded once: the answer for the same query, data version, clock and open
 * gaps is the same text, so it is kept and sent again instead of being encoded and stringified on every
 * request (for 1,000 pods that was most of the server's time once the engine result was cached). `next
 * start` still gzips each response (a route cannot hand it a kept gzip: it drops the route's
 * Content-Encoding and compresses again). A live cluster's clock moves with the wall clock, so its answers are rarely reused;
 * the engine result behind them still is (server/queries/engine-cache.ts).
 */
import type { TimelineQuery } from "../../lib/api/contracts";
import { encodeCompactTimeline } from "../../lib/api/timeline-compact";
import { toTimelineDocument } from "../../lib/api/timeline-document";
import type { WatcherGap } from "../../lib/model/events";
import { BoundedLru } from "../queries/bounded-lru";
import { timelineViewAt, type IsLive } from "../queries/timeline";
import { viewClock } from "../queries/view-clock";
import type { Store } from "../store/types";

/** Kept bodies per store, by count and by text size (a 10,000-pod compact answer is about 15 MB: two fit). */
export const BODY_CACHE_MAX_ENTRIES = 16;
export const BODY_CACHE_MAX_CHARS = 32 * 2 ** 20;

export class TimelineBody {
  constructor(readonly text: string) {}
}

const caches = new WeakMap<Store, BoundedLru<TimelineBody>>();

export type TimelineFormat = "json" | "compact";

export async function timelineBody(store: Store, q: TimelineQuery, format: TimelineFormat, now: number, openGaps: readonly WatcherGap[], isLive: IsLive): Promise<TimelineBody> {
  // The version is read first: a write after it leaves a body newer than its key, never older. The view is
  // a function of the data, the query, the clock and the open gaps, so a kept body is found before any of
  // it is computed (a stored cluster's clock is its last observation: the same until new data).
  const version = store.dataVersion ? await store.dataVersion() : undefined;
  const clock = await viewClock(store, q, now, isLive);
  const key = version === undefined ? undefined : JSON.stringify([version, format, q, clock.now, clock.live, openGaps]);
  let cache = caches.get(store);
  const hit = key !== undefined ? cache?.get(key) : undefined;
  if (hit) return hit;
  const view = await timelineViewAt(store, q, clock, openGaps);
  const body = new TimelineBody(JSON.stringify(format === "compact" ? encodeCompactTimeline(view) : toTimelineDocument(view)));
  if (key !== undefined) {
    if (!cache) caches.set(store, (cache = new BoundedLru<TimelineBody>(BODY_CACHE_MAX_ENTRIES, BODY_CACHE_MAX_CHARS, (b) => b.text.length)));
    cache.set(key, body);
  }
  return body;
}
