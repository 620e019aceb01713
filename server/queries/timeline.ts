/**
 * Read side: store query → engine → API documents. The timeline document is the `drainscope analyze
 * --json` shape plus what the UI draws (lanes, service counts, gaps) and the window it covers.
 */
import type { EpisodesQuery, TimelineQuery } from "../../lib/api/contracts";
import { toTimelineDocument, type TimelineDocument, type TimelineView } from "../../lib/api/timeline-document";
import type { Episode, LintFinding, PodLane, RiskWindow, Suggestion, Timeline } from "../../lib/engine/types";
import type { WatcherGap } from "../../lib/model/events";
import { episodeActivityRange } from "../../lib/view/episode-range";
import type { EventQuery, Store } from "../store/types";
import { runEngine, type EngineRun } from "./engine-cache";
import { noDataMessage, NOTHING_LIVE, viewClock, type IsLive, type ViewClock } from "./view-clock";

/** How much of a cluster's data (its last day) a default view or the home page looks at for episodes. */
export const DEFAULT_RANGE_MS = 24 * 3600 * 1000;
const EPISODE_MARGIN_MS = 30_000;

export type { TimelineDocument, TimelineView };
export { NOTHING_LIVE, type IsLive };

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** A view or export whose range holds no observation: never a verdict, always this message. */
export class EmptyRangeError extends NotFoundError {
  override name = "EmptyRangeError";
}

/**
 * The part of a timeline a view shows: the pods `keep` selects with their windows, episodes, lint and
 * suggestions. Pods `alongside` selects (an episode's replacements) are shown too, but bring nothing else
 * in: the view's windows and verdict stay those of the pods it is about.
 */
function narrow(t: Timeline, keep: (l: PodLane) => boolean, from: number, to: number, alongside?: (l: PodLane) => boolean): Timeline {
  const own = t.pods.filter(keep);
  const pods = alongside ? t.pods.filter((l) => keep(l) || alongside(l)) : own;
  const uids = new Set(own.map((p) => p.uid));
  const services = new Set(own.flatMap((p) => p.services));
  const inRange = (w: { start: number; end?: number }) => w.start <= to && (w.end ?? Infinity) >= from;
  const windows: RiskWindow[] = t.riskWindows.filter((w) => inRange(w) && (w.pods.some((p) => uids.has(p.uid)) || (w.pods.length === 0 && (w.service === undefined || services.has(w.service))) || (w.service !== undefined && services.has(w.service) && (w.rule === "no-ready-endpoints" || w.rule === "fallback-to-terminating"))));
  const episodes: Episode[] = t.episodes.filter((e) => e.podUids.some((u) => uids.has(u)));
  const workloads = new Set(own.map((p) => `${p.namespace}/${p.workload}`));
  const lint: LintFinding[] = t.lint.filter((l) => workloads.has(`${l.namespace}/${l.workload}`));
  const suggestions: Suggestion[] = t.suggestions.filter((s) => workloads.has(`${s.namespace}/${s.workload}`));
  return { ...t, pods, riskWindows: windows, episodes, lint, suggestions, services: t.services.filter((s) => services.has(s.service)) };
}

function view(timeline: Timeline, from: number, to: number, eventCount: number, clock: ViewClock, q: TimelineQuery): TimelineView {
  const empty = timeline.pods.length === 0 && timeline.riskWindows.length === 0;
  return {
    timeline,
    range: { from, to },
    eventCount,
    live: clock.live,
    dataSpan: clock.span ? { from: clock.span.from, to: clock.span.to } : null,
    noData: empty ? noDataMessage(q, clock.span) : null,
  };
}

/** Episode ids end with the episode's start time (ms): `${kind}:${namespace}:${subject}:${start}`. */
export function episodeStart(id: string): number | undefined {
  const tail = Number(id.slice(id.lastIndexOf(":") + 1));
  return Number.isFinite(tail) && tail > 0 ? tail : undefined;
}

/**
 * Gaps still open live in the runtime, not the store (they are written once closed): those of the
 * cluster and namespace asked for that began before `to` join the stored events, so the engine draws
 * them to `now` and marks what overlaps them as only possible.
 */
function openGapsFor(open: readonly WatcherGap[], q: { readonly cluster?: string | undefined; readonly namespace?: string | undefined }, to: number): WatcherGap[] {
  return open.filter((g) => (!q.cluster || g.cluster === q.cluster) && (!q.namespace || g.namespace === "" || g.namespace === q.namespace) && g.from <= to);
}

/** The engine over a store query and the open gaps in its scope (kept results reused: engine-cache.ts). */
function engine(store: Store, query: EventQuery & { readonly to: number }, openGaps: readonly WatcherGap[], gapScope: { readonly cluster?: string | undefined; readonly namespace?: string | undefined }, clock: ViewClock): Promise<EngineRun> {
  return runEngine(store, query, openGapsFor(openGaps, gapScope, query.to), clock);
}

/** A pod's time on its lane: from its first phase or membership to its last (open while any is open). */
function laneOverlaps(l: PodLane, from: number, to: number): boolean {
  let start = Infinity;
  let end = -Infinity;
  const span = (i: { start: number; end?: number }) => {
    if (i.start < start) start = i.start;
    end = Math.max(end, i.end ?? Infinity);
  };
  l.phases.forEach(span);
  for (const e of l.endpoints) e.intervals.forEach(span);
  for (const m of l.lbMembers) m.intervals.forEach(span);
  return start <= to && end >= from;
}

/**
 * The range a view shows when it names none: the latest episode of the data in scope (its cluster,
 * namespace, service or workload), else the last day of that data — never the wall clock's last day.
 * Also the engine result over that last day, from which the view is cut (computed once, not again for
 * the episode's range).
 */
async function defaultRange(store: Store, q: TimelineQuery, clock: ViewClock, openGaps: readonly WatcherGap[]): Promise<{ from: number; to: number; run?: EngineRun }> {
  const to = clock.live ? clock.now : (clock.span?.to ?? clock.now);
  const from = Math.max(clock.span?.from ?? -Infinity, to - DEFAULT_RANGE_MS);
  if (!clock.span) return { from, to };
  const run = await engine(store, { ...scope(q), from, to }, openGaps, q, clock);
  const keep = laneFilter(q);
  const uids = new Set(run.timeline.pods.filter(keep).map((l) => l.uid));
  const latest = run.timeline.episodes.filter((e) => e.podUids.some((u) => uids.has(u))).at(-1);
  if (!latest) return { from, to, run };
  return { from: latest.start - EPISODE_MARGIN_MS, to: (latest.end ?? clock.now) + EPISODE_MARGIN_MS, run };
}

function scope(q: TimelineQuery) {
  return { ...(q.cluster ? { cluster: q.cluster } : {}), ...(q.namespace ? { namespace: q.namespace } : {}), ...(q.service ? { service: q.service } : {}) };
}

function laneFilter(q: TimelineQuery): (l: PodLane) => boolean {
  return (l) => (!q.workload || l.workload === q.workload) && (!q.service || l.services.includes(q.service));
}

/**
 * One view of the store. `now` is the wall clock, used only for clusters `isLive` says are being watched;
 * a stored cluster's "now" is its last observation. A range without any observation still answers (the UI
 * shows `noData`); exports refuse it (see server/export). `openGaps`: the runtime's still-open watcher gaps.
 */
export async function getTimeline(store: Store, q: TimelineQuery, now: number, openGaps: readonly WatcherGap[] = [], isLive: IsLive = NOTHING_LIVE): Promise<TimelineDocument> {
  return toTimelineDocument(await getTimelineView(store, q, now, openGaps, isLive));
}

/** The one engine result behind both wire formats of the timeline API (JSON document and compact). */
export async function getTimelineView(store: Store, q: TimelineQuery, now: number, openGaps: readonly WatcherGap[] = [], isLive: IsLive = NOTHING_LIVE): Promise<TimelineView> {
  return timelineViewAt(store, q, await viewClock(store, q, now, isLive), openGaps);
}

/** `getTimelineView` for a clock already read (`viewClock`): the view is a function of the data, the query, the clock and the open gaps. */
export async function timelineViewAt(store: Store, q: TimelineQuery, clock: ViewClock, openGaps: readonly WatcherGap[]): Promise<TimelineView> {
  if (q.episode) {
    const start = episodeStart(q.episode);
    if (start === undefined) throw new NotFoundError(`no episode "${q.episode}"`);
    const { timeline: t, eventCount } = await engine(store, { ...(q.cluster ? { cluster: q.cluster } : {}), ...(q.namespace ? { namespace: q.namespace } : {}), from: start - EPISODE_MARGIN_MS, to: start + 3600_000 }, openGaps, q, clock);
    const ep = t.episodes.find((e) => e.id === q.episode);
    if (!ep) throw new NotFoundError(`no episode "${q.episode}" in ${q.cluster ?? "any cluster"}`);
    const uids = new Set(ep.podUids);
    const replacements = new Set(ep.replacementUids ?? []);
    // Windows are those overlapping the episode with a 30 s margin; the view opens on its activity.
    const shown = narrow(t, (l) => uids.has(l.uid), ep.start - EPISODE_MARGIN_MS, (ep.end ?? clock.now) + EPISODE_MARGIN_MS, (l) => replacements.has(l.uid));
    const { from, to } = episodeActivityRange({ episode: ep, pods: shown.pods.filter((l) => uids.has(l.uid)), replacements: shown.pods.filter((l) => replacements.has(l.uid)), windows: shown.riskWindows, now: clock.now });
    return view(shown, from, to, eventCount, clock, q);
  }
  if (q.from === undefined && q.to === undefined) {
    // Cut from the last day's result that found the range: the pods alive in it and what narrow keeps.
    const { from, to, run } = await defaultRange(store, q, clock, openGaps);
    if (run) {
      const keep = laneFilter(q);
      return view(narrow(run.timeline, (l) => keep(l) && laneOverlaps(l, from, to), from, to), from, to, run.eventCount, clock, q);
    }
    return answer(store, q, from, to, openGaps, clock);
  }
  const to = q.to ?? clock.now;
  return answer(store, q, q.from ?? to - DEFAULT_RANGE_MS, to, openGaps, clock);
}

async function answer(store: Store, q: TimelineQuery, from: number, to: number, openGaps: readonly WatcherGap[], clock: ViewClock): Promise<TimelineView> {
  const { timeline: t, eventCount } = await engine(store, { ...scope(q), from, to }, openGaps, q, clock);
  return view(q.workload || q.service ? narrow(t, laneFilter(q), from, to) : t, from, to, eventCount, clock, q);
}

export interface EpisodeSummary extends Omit<Episode, "start" | "end"> {
  readonly cluster: string;
  readonly start: string;
  readonly end: string | null;
  readonly podCount: number;
}

/**
 * Episodes, newest first. With `from`/`to`, those of that range; without, the latest of every cluster
 * whatever their age: each cluster's last day of data, judged at its own "now" (live clock or last
 * observation).
 */
export async function listEpisodes(store: Store, q: EpisodesQuery, now: number, isLive: IsLive = NOTHING_LIVE, openGaps: readonly WatcherGap[] = []): Promise<EpisodeSummary[]> {
  const clusters = q.cluster ? [q.cluster] : (await store.clusters()).map((c) => c.name);
  const out: EpisodeSummary[] = [];
  for (const cluster of clusters) {
    const clock = await viewClock(store, { cluster, ...(q.namespace ? { namespace: q.namespace } : {}) }, now, isLive);
    if (!clock.span) continue;
    const latest = q.from === undefined && q.to === undefined;
    const to = latest ? Math.max(clock.span.to, clock.now) : (q.to ?? now);
    const from = latest ? clock.span.to - DEFAULT_RANGE_MS : (q.from ?? to - DEFAULT_RANGE_MS);
    const { timeline: t } = await engine(store, { cluster, ...(q.namespace ? { namespace: q.namespace } : {}), ...(q.service ? { service: q.service } : {}), from, to }, openGaps, { cluster, namespace: q.namespace }, clock);
    for (const e of t.episodes) {
      if (e.start < from || e.start > to) continue;
      out.push({ ...e, cluster, start: new Date(e.start).toISOString(), end: e.end === undefined ? null : new Date(e.end).toISOString(), podCount: e.podUids.length });
    }
  }
  return out.sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : a.cluster.localeCompare(b.cluster))).slice(0, q.limit);
}

export async function getPod(store: Store, uid: string, cluster: string | undefined, now: number, isLive: IsLive = NOTHING_LIVE, openGaps: readonly WatcherGap[] = []) {
  const mine = await store.query({ ...(cluster ? { cluster } : {}), podUids: [uid] });
  const own = mine.filter((e) => "podUid" in e && e.podUid === uid);
  const first = own[0];
  if (!first) throw new NotFoundError(`no pod with uid ${uid}`);
  // Service-wide rules need the pod's neighbours: compute over its namespace for its lifetime, and on past
  // its removal as far as an episode view would (its LB member may close after the pod is gone: a window
  // cut at the pod's last event would read "still open" where the timeline measures it).
  const clock = await viewClock(store, { cluster: first.cluster, namespace: first.namespace }, now, isLive);
  const from = Math.min(...own.map((e) => e.range[0])) - EPISODE_MARGIN_MS;
  const last = Math.max(...own.map((e) => e.range[1]));
  const to = Math.max(last, Math.min(clock.now, last + 3600_000));
  const { timeline: t } = await engine(store, { cluster: first.cluster, namespace: first.namespace, from, to }, openGaps, { cluster: first.cluster, namespace: first.namespace }, clock);
  const lane = t.pods.find((p) => p.uid === uid);
  return {
    cluster: first.cluster,
    lane,
    riskWindows: t.riskWindows.filter((w) => w.pods.some((p) => p.uid === uid)),
    lint: t.lint.filter((l) => lane && l.workload === lane.workload && l.namespace === lane.namespace),
    events: own,
  };
}
