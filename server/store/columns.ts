/**
 * How an event maps to the store's indexed columns, shared by both dialects so they cannot drift.
 * The whole event is kept as JSON text (`payload`) and parsed back as is (events are plain data, so the
 * round trip is lossless); the columns exist only to be filtered on and are never read back into it.
 */
import type { EpochMs, LifecycleEvent } from "../../lib/model/events";
import { isDisplayableTime } from "../../lib/model/time-limits";
import { StoreRejectedError } from "./types";

/** The end of a watcher gap that has not closed yet; fits int64 and a JS number exactly. */
export const OPEN_END: EpochMs = Number.MAX_SAFE_INTEGER;

export interface EventRow {
  readonly cluster: string;
  readonly id: string;
  readonly type: string;
  readonly namespace: string;
  readonly podUid: string | null;
  /** Endpoint and LB events: their service; service-seen: the service's own name. */
  readonly service: string | null;
  /** ReplicaSet / Deployment / Service name for their `*-seen` events, to find each object's latest. */
  readonly objectName: string | null;
  readonly at: EpochMs;
  readonly lo: EpochMs;
  readonly hi: EpochMs;
  readonly seq: number;
  readonly payload: string;
}

function serviceOf(e: LifecycleEvent): string | null {
  switch (e.type) {
    case "endpoint-changed":
    case "endpoint-removed":
      return e.service;
    case "lb-member-changed":
      return e.service ?? null;
    case "service-seen":
      return e.name;
    default:
      return null;
  }
}

function objectNameOf(e: LifecycleEvent): string | null {
  return e.type === "replicaset-seen" || e.type === "deployment-seen" || e.type === "service-seen" ? e.name : null;
}

/** The interval an event occupies: its range widened to `at`; a watcher gap spans [from, to or open]. */
export function eventBounds(e: LifecycleEvent): { lo: EpochMs; hi: EpochMs } {
  const lo = Math.min(e.range[0], e.at);
  const hi = Math.max(e.range[1], e.at);
  if (e.type !== "watcher-gap") return { lo, hi };
  return { lo: Math.min(lo, e.from), hi: e.to === undefined ? OPEN_END : Math.max(hi, e.to) };
}

/**
 * Why an event cannot be stored at all, or undefined: it needs a key and times every page can draw
 * (finite, well inside Date's range). `append` skips and counts such an event rather than failing its
 * whole batch, which the batcher would retry forever; `importEvents` refuses the whole import.
 */
export function unstorableReason(e: LifecycleEvent): string | undefined {
  if (typeof e.id !== "string" || e.id === "") return "no id";
  if (typeof e.cluster !== "string" || typeof e.namespace !== "string" || typeof e.type !== "string") return "no cluster, namespace or type";
  if (!isDisplayableTime(e.at)) return `at: ${String(e.at)} is not a storable time`;
  if (!Array.isArray(e.range) || !isDisplayableTime(e.range[0]) || !isDisplayableTime(e.range[1])) return `range: ${JSON.stringify(e.range)} is not a storable time range`;
  if (e.type === "watcher-gap" && (!isDisplayableTime(e.from) || (e.to !== undefined && !isDisplayableTime(e.to)))) return "from/to: not a storable time";
  return undefined;
}

export const isStorable = (e: LifecycleEvent): boolean => unstorableReason(e) === undefined;

/** All or nothing: an import with one event the store cannot keep writes none of them. */
export function refuseUnstorable(events: readonly LifecycleEvent[]): void {
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!e) continue;
    const why = unstorableReason(e);
    if (why) throw new StoreRejectedError(`observation ${i + 1} (${e.type} ${e.id}) cannot be stored: ${why}; nothing was written`);
  }
}

export function toRow(e: LifecycleEvent): EventRow {
  // Index columns are whole milliseconds (PostgreSQL bigint); times may carry a fraction (the simulated
  // cluster's clock does), so widen outwards. The payload keeps the exact values.
  const b = eventBounds(e);
  const lo = Math.floor(b.lo);
  const hi = Math.ceil(b.hi);
  const podUid = "podUid" in e && e.podUid ? e.podUid : null;
  return {
    cluster: e.cluster,
    id: e.id,
    type: e.type,
    namespace: e.namespace,
    podUid,
    service: serviceOf(e),
    objectName: objectNameOf(e),
    at: Math.floor(e.at),
    lo,
    hi,
    seq: e.seq ?? 0,
    payload: JSON.stringify(e),
  };
}

/** One pod's lifetime as far as the stored events tell: what `pod_spans` holds. */
export interface PodSpan {
  readonly cluster: string;
  readonly podUid: string;
  readonly namespace: string;
  firstLo: EpochMs;
  lastHi: EpochMs;
  removed: boolean;
}

/** How one append stamps its rows: the store's clock, and whether an import brought them. */
export interface WriteStamp {
  readonly recordedAt: EpochMs;
  readonly imported: boolean;
}

/**
 * Fold a batch into one span per pod, so an append upserts each pod once however many of its events it
 * carries. Upserting a duplicate batch again changes nothing (min/max/or are idempotent).
 */
export function podSpans(rows: readonly EventRow[]): PodSpan[] {
  const spans = new Map<string, PodSpan>();
  for (const r of rows) {
    if (r.podUid === null) continue;
    const key = `${r.cluster}\u0000${r.podUid}`;
    const s = spans.get(key);
    const removed = r.type === "pod-removed";
    if (!s) {
      spans.set(key, { cluster: r.cluster, podUid: r.podUid, namespace: r.namespace, firstLo: r.lo, lastHi: r.hi, removed });
      continue;
    }
    s.firstLo = Math.min(s.firstLo, r.lo);
    s.lastHi = Math.max(s.lastHi, r.hi);
    s.removed ||= removed;
  }
  return [...spans.values()];
}

/** Sorting by key gives concurrent writers one lock order, so two overlapping batches cannot deadlock. */
export function byKey(a: { cluster: string; id: string }, b: { cluster: string; id: string }): number {
  return a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface ClusterDelta {
  readonly cluster: string;
  events: number;
  firstAt: EpochMs;
  lastAt: EpochMs;
}

/** What newly inserted rows add to `cluster_stats`, one entry per cluster, sorted (lock order). */
export function clusterDeltas(inserted: readonly EventRow[]): ClusterDelta[] {
  const out = new Map<string, ClusterDelta>();
  for (const r of inserted) {
    const d = out.get(r.cluster);
    if (!d) out.set(r.cluster, { cluster: r.cluster, events: 1, firstAt: r.at, lastAt: r.at });
    else {
      d.events++;
      d.firstAt = Math.min(d.firstAt, r.at);
      d.lastAt = Math.max(d.lastAt, r.at);
    }
  }
  return [...out.values()].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
}

/**
 * Distinct (cluster, namespace) pairs of a batch's pods and ReplicaSets / Deployments / Services: the
 * namespaces worth offering in a picker (a namespace with only LB or Event records has no lanes).
 */
export function namespacePairs(rows: readonly EventRow[]): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const r of rows) {
    if (r.namespace === "" || (r.podUid === null && r.objectName === null)) continue;
    const k = `${r.cluster}\u0000${r.namespace}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([r.cluster, r.namespace]);
  }
  return out;
}
