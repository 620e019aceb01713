/**
 * A quick store benchmark for `npm run bench`: append throughput (fresh and replayed), and the latency of
 * the query a timeline view makes, then of the engine on its result (design §7: a 10,000-pod rollout
 * must go from store to timeline well under 1 s). Figures only; nothing here passes or fails.
 */
import { computeTimeline } from "../../lib/engine/timeline";
import type { LifecycleEvent } from "../../lib/model/events";
import type { EventQuery, Store } from "./types";

export interface StoreBenchResult {
  readonly store: string;
  readonly events: number;
  readonly batchSize: number;
  /** Fresh events committed per second, in batches of `batchSize`. */
  readonly appendPerSec: number;
  /** The same events appended again (all duplicates): what a relist after a reconnect costs. */
  readonly replayPerSec: number;
  readonly queryEvents: number;
  /** Best of `runs` for the whole-namespace query over the events' time span. */
  readonly queryMs: number;
  readonly queryMedianMs: number;
  /** computeTimeline on the query's result (once). */
  readonly timelineMs: number;
  readonly pods: number;
}

export interface StoreBenchOptions {
  readonly batchSize?: number;
  readonly runs?: number;
}

async function appendAll(store: Store, events: readonly LifecycleEvent[], batchSize: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += batchSize) await store.append(events.slice(i, i + batchSize));
  return performance.now() - t0;
}

const perSec = (n: number, ms: number): number => Math.round((n / Math.max(ms, 0.001)) * 1000);

/** Runs against an empty store; leaves the events in it. */
export async function benchStore(store: Store, events: readonly LifecycleEvent[], opts: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const batchSize = opts.batchSize ?? 1000;
  const runs = opts.runs ?? 5;
  const appendMs = await appendAll(store, events, batchSize);
  const replayMs = await appendAll(store, events, batchSize);
  const first = events[0];
  let from = Infinity;
  let to = -Infinity;
  for (const e of events) {
    from = Math.min(from, e.at);
    to = Math.max(to, e.at);
  }
  const q: EventQuery = { ...(first ? { cluster: first.cluster, namespace: first.namespace } : {}), from, to };
  const times: number[] = [];
  let result: LifecycleEvent[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await store.query(q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const t1 = performance.now();
  const timeline = computeTimeline(result, { now: to });
  const timelineMs = performance.now() - t1;
  return {
    store: store.kind,
    events: events.length,
    batchSize,
    appendPerSec: perSec(events.length, appendMs),
    replayPerSec: perSec(events.length, replayMs),
    queryEvents: result.length,
    queryMs: Math.round(times[0] ?? 0),
    queryMedianMs: Math.round(times[Math.floor(times.length / 2)] ?? 0),
    timelineMs: Math.round(timelineMs),
    pods: timeline.pods.length,
  };
}
