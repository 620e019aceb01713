/**
 * GET /api/timeline's body, encoded once: the answer for the same query, data version, clock and open
 * gaps is the same text, so it is kept and sent again instead of being encoded and stringified on every
 * request (for 1,000 pods that was most of the server's time once the engine result was cached). It is
 * kept as UTF-8 bytes, which the response sends as they are (a kept string was encoded again per
 * request: about 90 ms for 15 MB); the compact format is written straight into bytes
 * (lib/api/timeline-compact-writer.ts). `next start` still gzips each response: Next 16 drops a route
 * handler's Content-Encoding header (send-response.js, FORBIDDEN_HEADERS) and compresses again, so a
 * kept gzip cannot be handed to it. A live cluster's clock moves with the wall clock, so its answers are rarely reused;
 * the engine result behind them still is (server/queries/engine-cache.ts). Keyed by the data version of
 * the query's cluster (a write to another cluster keeps it: server/queries/data-versions.ts); a request
 * for a body being built joins that build.
 */
import type { TimelineQuery } from "../../lib/api/contracts";
import { writeCompactTimeline } from "../../lib/api/timeline-compact-writer";
import { toTimelineDocument, type TimelineView } from "../../lib/api/timeline-document";
import type { WatcherGap } from "../../lib/model/events";
import { BoundedLru } from "../queries/bounded-lru";
import { scopedDataVersion } from "../queries/data-versions";
import { processShared } from "../queries/process-shared";
import { timelineViewAt, type IsLive } from "../queries/timeline";
import { viewClock } from "../queries/view-clock";
import type { Store } from "../store/types";

/** Kept bodies per store, by count and by size (a 10,000-pod compact answer is about 15 MB: two fit). */
export const BODY_CACHE_MAX_ENTRIES = 16;
export const BODY_CACHE_MAX_BYTES = 32 * 2 ** 20;

export class TimelineBody {
  /** UTF-8 JSON text. */
  constructor(readonly bytes: Uint8Array<ArrayBuffer>) {}

  /** The text as a string (decoded on each call: for tests and tools, not the response). */
  get text(): string {
    return new TextDecoder().decode(this.bytes);
  }
}

/** A first size for the compact writer's buffer (about 1.5 KB per lane), so a 15 MB body is not grown eight times. */
const compactSizeHint = (view: TimelineView) => 65_536 + view.timeline.pods.length * 1536;

// Per process, not per module graph (server/queries/process-shared.ts).
const caches = processShared("timelineBodies", () => new WeakMap<Store, BoundedLru<TimelineBody>>());
const building = processShared("timelineBodiesBuilding", () => new WeakMap<Store, Map<string, Promise<TimelineBody>>>());

export type TimelineFormat = "json" | "compact";

export async function timelineBody(store: Store, q: TimelineQuery, format: TimelineFormat, now: number, openGaps: readonly WatcherGap[], isLive: IsLive): Promise<TimelineBody> {
  // The version is read first: a write after it leaves a body newer than its key, never older. The view is
  // a function of the data, the query, the clock and the open gaps, so a kept body is found before any of
  // it is computed (a stored cluster's clock is its last observation: the same until new data).
  const version = await scopedDataVersion(store, q.cluster);
  const clock = await viewClock(store, q, now, isLive);
  const build = async () => {
    const view = await timelineViewAt(store, q, clock, openGaps);
    await new Promise((resolve) => setImmediate(resolve)); // let waiting requests in before the encoding
    if (format === "json") return new TimelineBody(Buffer.from(JSON.stringify(toTimelineDocument(view))));
    return new TimelineBody(writeCompactTimeline(view, compactSizeHint(view)));
  };
  if (version === undefined) return build();
  // The query's fields one by one, in a fixed order: the same view asked with its parameters in another order is one key.
  const key = JSON.stringify([version, format, q.cluster, q.namespace, q.service, q.workload, q.episode, q.from, q.to, clock.now, clock.live, openGaps]);
  const hit = caches.get(store)?.get(key);
  if (hit) return hit;
  let inFlight = building.get(store);
  if (!inFlight) building.set(store, (inFlight = new Map()));
  const running = inFlight.get(key);
  if (running) return running;
  const started = build();
  inFlight.set(key, started);
  try {
    const body = await started;
    // Looked up again: another request may have made the store's cache while this one computed.
    let cache = caches.get(store);
    if (!cache) caches.set(store, (cache = new BoundedLru<TimelineBody>(BODY_CACHE_MAX_ENTRIES, BODY_CACHE_MAX_BYTES, (b) => b.bytes.buffer.byteLength)));
    cache.set(key, body);
    return body;
  } finally {
    inFlight.delete(key);
  }
}
