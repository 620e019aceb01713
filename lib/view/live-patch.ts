/**
 * Follow mode (style.md habit 9): the page fetches the timeline once, then applies the `observations`
 * messages of /api/stream to the cached document with this pure reducer.
 *
 * What is applied locally, at once: the start and the end of a termination of a pod already on screen
 * (`delete-requested`: its delete marker, and the open phase becomes `terminating`; `pod-removed`: its
 * removal marker, and the open phase closes). Those are what a user watches for and they need no other
 * data. Everything else (new pods, endpoint and LB changes, Killing / SIGTERM / exit estimates, risk
 * windows, service counts) needs the engine's recompute over the whole log, and a termination moves those
 * too: so any in-scope batch also says `refetch: true`, and the caller refetches, throttled to a few per
 * second. The refetched document replaces the patched one; the patch never invents anything the engine
 * would not also say.
 */
import type { LifecyclePhase, PodLane } from "../engine/types";
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

const OPEN_SERVING: ReadonlySet<LifecyclePhase["kind"]> = new Set(["pending", "serving", "unready"]);

function inScope(e: LifecycleEvent, scope: LiveScope): boolean {
  return (scope.cluster === undefined || e.cluster === scope.cluster) && (scope.namespace === undefined || e.namespace === scope.namespace);
}

function podUidOf(e: LifecycleEvent): string | undefined {
  return "podUid" in e && typeof e.podUid === "string" ? e.podUid : undefined;
}

/** Close the lane's open phase at `at` (never before its start). */
function closeOpen(phases: readonly LifecyclePhase[], at: number, keep: (p: LifecyclePhase) => boolean): LifecyclePhase[] {
  return phases.map((p) => (p.end === undefined && keep(p) ? { ...p, end: Math.max(p.start, at) } : p));
}

function applyDelete(lane: PodLane, e: DeleteRequested): PodLane | undefined {
  if (lane.keyTimes.deleteRequested) return undefined; // already known: the engine's times win
  const open = lane.phases.find((p) => p.end === undefined);
  const phases = open && OPEN_SERVING.has(open.kind) ? [...closeOpen(lane.phases, e.at, (p) => p === open), { kind: "terminating" as const, start: Math.max(open.start, e.at) }] : [...lane.phases];
  return {
    ...lane,
    phases,
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
    phases: closeOpen(lane.phases, e.at, () => true),
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
