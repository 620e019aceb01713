/**
 * Follow mode (style.md habit 9): the page fetches the timeline once, then applies the `observations`
 * messages of /api/stream to the cached document with this pure reducer.
 *
 * What is applied locally, at once: the observed start and end of a termination of a pod already on
 * screen (`delete-requested`: its delete marker; `pod-removed`: its removal marker). Those are what a user
 * watches for and they are observations, not derivations. Phases, Killing / SIGTERM / exit estimates,
 * endpoints, risk windows and service counts are the engine's alone (one source: the reducer never derives
 * a phase), so any in-scope batch also says `refetch: true`, and the caller refetches, throttled to a few
 * per second. The refetched document replaces the patched one.
 */
import type { PodLane } from "../engine/types";
import type { DeleteRequested, LifecycleEvent, PodRemoved } from "../model/events";
import type { TimelineDoc } from "./timeline-doc";

export interface LiveScope {
  readonly cluster?: string;
  readonly namespace?: string;
}

export interface LivePatchResult {
  /** The same object when nothing was applied locally. */
  readonly doc: TimelineDoc;
  /** Events in scope that the reducer could not apply: the document must be recomputed by the server. */
  readonly refetch: boolean;
  /** Events applied locally. */
  readonly applied: number;
}

function inScope(e: LifecycleEvent, scope: LiveScope): boolean {
  return (scope.cluster === undefined || e.cluster === scope.cluster) && (scope.namespace === undefined || e.namespace === scope.namespace);
}

function podUidOf(e: LifecycleEvent): string | undefined {
  return "podUid" in e && typeof e.podUid === "string" ? e.podUid : undefined;
}

function applyDelete(lane: PodLane, e: DeleteRequested): PodLane | undefined {
  if (lane.keyTimes.deleteRequested) return undefined; // already known: the engine's times win
  return {
    ...lane,
    keyTimes: {
      ...lane.keyTimes,
      deleteRequested: { at: e.at, range: e.range, clock: e.clock, precision: e.precision, graceSeconds: e.graceSeconds, force: e.force, eventId: e.id },
      graceSeconds: lane.keyTimes.graceSeconds ?? e.graceSeconds,
    },
  };
}

function applyRemoved(lane: PodLane, e: PodRemoved): PodLane | undefined {
  if (lane.keyTimes.removed) return undefined;
  return {
    ...lane,
    keyTimes: { ...lane.keyTimes, removed: { at: e.at, range: e.range, clock: e.clock, precision: e.precision, via: e.via } },
  };
}

/** Apply one SSE `observations` batch to the cached timeline document. Pure: `doc` is not modified. */
export function applyObservations(doc: TimelineDoc, events: readonly LifecycleEvent[], scope: LiveScope): LivePatchResult {
  let lanes: PodLane[] | undefined;
  let index: Map<string, number> | undefined;
  let refetch = false;
  let applied = 0;
  let inScopeCount = 0;
  for (const e of events) {
    if (!inScope(e, scope)) continue;
    inScopeCount++;
    const uid = podUidOf(e);
    if (uid === undefined || (e.type !== "delete-requested" && e.type !== "pod-removed")) {
      refetch = true;
      continue;
    }
    index ??= new Map(doc.lanes.map((l, i) => [l.uid, i]));
    const i = index.get(uid);
    const lane = i === undefined ? undefined : (lanes ?? doc.lanes)[i];
    if (i === undefined || !lane) {
      refetch = true; // a pod this document does not draw yet
      continue;
    }
    const next = e.type === "delete-requested" ? applyDelete(lane, e) : applyRemoved(lane, e);
    // A termination also moves Killing, SIGTERM, endpoints and risk windows: recompute those too.
    refetch = true;
    if (!next) continue;
    lanes ??= [...doc.lanes];
    lanes[i] = next;
    applied++;
  }
  if (!lanes) return { doc, refetch, applied: 0 };
  return { doc: { ...doc, lanes, eventCount: doc.eventCount + inScopeCount }, refetch, applied };
}
