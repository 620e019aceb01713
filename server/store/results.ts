/**
 * Turning rows into what `Store.query` and `Store.clusters` promise, shared by both dialects.
 */
import { compareEvents, type EpochMs, type LifecycleEvent } from "../../lib/model/events";
import { isDisplayableTime, MAX_DURATION_SECONDS } from "../../lib/model/time-limits";
import { eventBounds } from "./columns";
import type { AppendResult, ClusterOrigin, ClusterSummary, EventQuery } from "./types";

/** Told about each row a reader skipped, with why. */
export type BadRowSink = (why: string) => void;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const badSeconds = (v: unknown): boolean => v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > MAX_DURATION_SECONDS);

/**
 * Why a stored payload cannot be drawn, or undefined. Cheap checks of what would throw or explode in a
 * page (a time outside Date's range, a non-finite grace period), not a full schema parse: a row an older
 * Drainscope (or a hand edit) let in is skipped with a warning, never allowed to crash a view.
 */
export function unreadableReason(e: unknown): string | undefined {
  if (!isRecord(e) || typeof e.type !== "string" || typeof e.id !== "string" || typeof e.cluster !== "string") return "not an observation";
  const range = e.range;
  if (!isDisplayableTime(e.at) || !Array.isArray(range) || !isDisplayableTime(range[0]) || !isDisplayableTime(range[1])) {
    return `${e.cluster}/${e.id}: at/range ${JSON.stringify([e.at, range])} out of range`;
  }
  for (const k of ["observedAt", "deadline", "from", "to"] as const) {
    if (e[k] !== undefined && !isDisplayableTime(e[k])) return `${e.cluster}/${e.id}: ${k} ${JSON.stringify(e[k])} out of range`;
  }
  if (badSeconds(e.graceSeconds) || badSeconds(e.specGraceSeconds)) return `${e.cluster}/${e.id}: grace out of range`;
  if (e.type === "pod-seen") {
    const spec = e.spec;
    if (!isRecord(spec) || badSeconds(spec.terminationGracePeriodSeconds) || (spec.createdAt !== undefined && !isDisplayableTime(spec.createdAt))) return `${e.cluster}/${e.id}: bad pod spec`;
  }
  return undefined;
}

/**
 * Parse payloads onto `into` (a loop, not `push(...)`: 150,000 arguments overflow the stack), skipping
 * (and reporting) any row that does not parse or could not be drawn.
 */
export function parseInto(into: LifecycleEvent[], payloads: readonly string[], bad: BadRowSink = () => undefined): LifecycleEvent[] {
  for (const p of payloads) {
    let e: unknown;
    try {
      e = JSON.parse(p);
    } catch {
      bad(`payload is not JSON: ${p.slice(0, 80)}`);
      continue;
    }
    if (readable(e, bad)) into.push(e);
  }
  return into;
}

/** The row is an observation every reader can draw (see `unreadableReason`); reports it otherwise. */
function readable(e: unknown, bad: BadRowSink): e is LifecycleEvent {
  const why = unreadableReason(e);
  if (why) bad(why);
  return why === undefined;
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
  totals: readonly { cluster: string; n: Num; first_at: Num | null; last_at: Num | null; origin: string }[],
  namespaces: readonly { cluster: string; namespace: string }[],
  bad: BadRowSink = () => undefined,
): ClusterSummary[] {
  // A summary spanning a time no page can draw (a bad row let in by an older Drainscope) drops that bound.
  const bound = (cluster: string, v: Num | null): number | undefined => {
    if (v === null) return undefined;
    const n = Number(v);
    if (isDisplayableTime(n)) return n;
    bad(`${cluster}: summary time ${String(v)} out of range`);
    return undefined;
  };
  const ns = new Map<string, Set<string>>();
  for (const r of namespaces) {
    let set = ns.get(r.cluster);
    if (!set) ns.set(r.cluster, (set = new Set()));
    set.add(r.namespace);
  }
  return totals.map((t) => {
    const firstAt = bound(t.cluster, t.first_at);
    const lastAt = bound(t.cluster, t.last_at);
    const origin: ClusterOrigin = t.origin === "imported" ? "imported" : "watched";
    return {
      name: t.cluster,
      origin,
      events: Number(t.n),
      ...(firstAt !== undefined ? { firstAt } : {}),
      ...(lastAt !== undefined ? { lastAt } : {}),
      namespaces: [...(ns.get(t.cluster) ?? [])].sort(),
    };
  });
}

export function withRejected(r: AppendResult, rejected: number): AppendResult {
  return rejected > 0 ? { ...r, rejected } : r;
}
