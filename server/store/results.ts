/**
 * Turning rows into what `Store.query` and `Store.clusters` promise, shared by both dialects.
 */
import { compareEvents, type EpochMs, type LifecycleEvent } from "../../lib/model/events";
import { eventBounds } from "./columns";
import type { AppendResult, ClusterSummary, EventQuery } from "./types";

/** Parse payloads onto `into` (a loop, not `push(...)`: 150,000 arguments overflow the stack). */
export function parseInto(into: LifecycleEvent[], payloads: readonly string[]): LifecycleEvent[] {
  for (const p of payloads) into.push(JSON.parse(p));
  return into;
}

/**
 * `compareEvents` order, computed here rather than in SQL because it compares ids by UTF-16 code units,
 * which no SQL collation reproduces, and the engine's determinism depends on it. Sorting an index over
 * typed arrays of (at, seq) is ~2.5× faster than sorting the events themselves: events of different
 * types have different shapes, which makes `e.at` a slow, megamorphic load inside the comparator.
 */
export function sortEvents(events: readonly LifecycleEvent[]): LifecycleEvent[] {
  const n = events.length;
  const at = new Float64Array(n);
  const seq = new Float64Array(n);
  const order = new Uint32Array(n);
  events.forEach((e, i) => {
    at[i] = e.at;
    seq[i] = e.seq ?? 0;
    order[i] = i;
  });
  const tie = (i: number, j: number): number => {
    const a = events[i];
    const b = events[j];
    return a && b ? compareEvents(a, b) : 0;
  };
  order.sort((i, j) => (at[i] ?? 0) - (at[j] ?? 0) || (seq[i] ?? 0) - (seq[j] ?? 0) || tie(i, j));
  const out: LifecycleEvent[] = [];
  for (const i of order) {
    const e = events[i];
    if (e) out.push(e);
  }
  return out;
}

/**
 * The window to use for the events around some pods when the query named pods but no window: their
 * lifetimes, from the first event to the last removal (open while any of them is still there).
 * Without this, "this pod's history" would drag in every loose event and gap ever recorded.
 * Undefined when no pod matched: then nothing around them is wanted either.
 */
export function lifetimeWindow(podEvents: readonly LifecycleEvent[]): { from: EpochMs; to?: EpochMs } | undefined {
  let from = Infinity;
  let to = -Infinity;
  const pods = new Set<string>();
  const removed = new Set<string>();
  for (const e of podEvents) {
    const b = eventBounds(e);
    from = Math.min(from, b.lo);
    to = Math.max(to, b.hi);
    const uid = "podUid" in e ? e.podUid : undefined;
    if (uid !== undefined) pods.add(`${e.cluster}\u0000${uid}`);
    if (e.type === "pod-removed") removed.add(`${e.cluster}\u0000${e.podUid}`);
  }
  if (pods.size === 0) return undefined;
  return removed.size === pods.size ? { from, to } : { from };
}

/** The query the loose, gap and context parts use: the caller's, or the pods' lifetimes (see above). */
export function surroundings(q: EventQuery, podEvents: readonly LifecycleEvent[]): EventQuery | undefined {
  if (q.podUids === undefined || q.from !== undefined || q.to !== undefined) return q;
  const w = lifetimeWindow(podEvents);
  return w && { ...q, ...w };
}

/** The (cluster, namespaces) whose ReplicaSets, Deployments and Services a result needs. */
export function namespacesInvolved(groups: readonly (readonly LifecycleEvent[])[]): { cluster: string; namespaces: string[] }[] {
  const byCluster = new Map<string, Set<string>>();
  for (const events of groups) {
    for (const e of events) {
      if (e.namespace === "") continue;
      let set = byCluster.get(e.cluster);
      if (!set) byCluster.set(e.cluster, (set = new Set()));
      set.add(e.namespace);
    }
  }
  return [...byCluster].map(([cluster, ns]) => ({ cluster, namespaces: [...ns].sort() }));
}

/**
 * One sorted result from the query's parts. Pod events and loose events are disjoint (a row is about a
 * pod or not); gaps and context objects may repeat loose events, so those are de-duplicated by key.
 */
export function assembleResult(podEvents: readonly LifecycleEvent[], loose: readonly LifecycleEvent[], extra: readonly LifecycleEvent[]): LifecycleEvent[] {
  const seen = new Set(loose.map((e) => `${e.cluster}\u0000${e.id}`));
  const fresh: LifecycleEvent[] = [];
  for (const e of extra) {
    const k = `${e.cluster}\u0000${e.id}`;
    if (seen.has(k)) continue;
    seen.add(k);
    fresh.push(e);
  }
  return sortEvents(podEvents.concat(loose, fresh));
}

type Num = number | string;

/** Rows from the two summary statements → `ClusterSummary[]` (PostgreSQL returns bigints as strings). */
export function summarise(
  totals: readonly { cluster: string; n: Num; first_at: Num | null; last_at: Num | null }[],
  namespaces: readonly { cluster: string; namespace: string }[],
): ClusterSummary[] {
  const ns = new Map<string, Set<string>>();
  for (const r of namespaces) {
    let set = ns.get(r.cluster);
    if (!set) ns.set(r.cluster, (set = new Set()));
    set.add(r.namespace);
  }
  return totals.map((t) => ({
    name: t.cluster,
    events: Number(t.n),
    ...(t.first_at !== null ? { firstAt: Number(t.first_at) } : {}),
    ...(t.last_at !== null ? { lastAt: Number(t.last_at) } : {}),
    namespaces: [...(ns.get(t.cluster) ?? [])].sort(),
  }));
}

export function withRejected(r: AppendResult, rejected: number): AppendResult {
  return rejected > 0 ? { ...r, rejected } : r;
}
