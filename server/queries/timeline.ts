/**
 * Read side: store query → engine → API documents. The timeline document is the `drainscope analyze
 * --json` shape plus what the UI draws (lanes, service counts, gaps) and the window it covers.
 */
import type { EpisodesQuery, TimelineQuery } from "../../lib/api/contracts";
import type { TimelineDocument } from "../../lib/api/timeline-document";
import { computeTimeline } from "../../lib/engine/timeline";
import type { Episode, LintFinding, PodLane, RiskWindow, Suggestion, Timeline } from "../../lib/engine/types";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { toAnalysisDocument } from "../../lib/report/analysis-json";
import type { Store } from "../store/types";

export const DEFAULT_RANGE_MS = 24 * 3600 * 1000;
const EPISODE_MARGIN_MS = 30_000;

export type { TimelineDocument };

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

function narrow(t: Timeline, keep: (l: PodLane) => boolean, from: number, to: number): Timeline {
  const pods = t.pods.filter(keep);
  const uids = new Set(pods.map((p) => p.uid));
  const services = new Set(pods.flatMap((p) => p.services));
  const inRange = (w: { start: number; end?: number }) => w.start <= to && (w.end ?? Infinity) >= from;
  const windows: RiskWindow[] = t.riskWindows.filter((w) => inRange(w) && (w.pods.some((p) => uids.has(p.uid)) || (w.pods.length === 0 && (w.service === undefined || services.has(w.service))) || (w.service !== undefined && services.has(w.service) && (w.rule === "no-ready-endpoints" || w.rule === "fallback-to-terminating"))));
  const episodes: Episode[] = t.episodes.filter((e) => e.podUids.some((u) => uids.has(u)));
  const workloads = new Set(pods.map((p) => `${p.namespace}/${p.workload}`));
  const lint: LintFinding[] = t.lint.filter((l) => workloads.has(`${l.namespace}/${l.workload}`));
  const suggestions: Suggestion[] = t.suggestions.filter((s) => workloads.has(`${s.namespace}/${s.workload}`));
  return { ...t, pods, riskWindows: windows, episodes, lint, suggestions, services: t.services.filter((s) => services.has(s.service)) };
}

function document(t: Timeline, from: number, to: number, eventCount: number): TimelineDocument {
  return { ...toAnalysisDocument(t, { allPods: true }), range: { from, to }, lanes: t.pods, serviceCounts: t.services, gaps: t.gaps, eventCount };
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
function withOpenGaps(events: LifecycleEvent[], open: readonly WatcherGap[], q: TimelineQuery, to: number): LifecycleEvent[] {
  const mine = open.filter((g) => (!q.cluster || g.cluster === q.cluster) && (!q.namespace || g.namespace === "" || g.namespace === q.namespace) && g.from <= to);
  return mine.length ? [...events, ...mine] : events;
}

export async function getTimeline(store: Store, q: TimelineQuery, now: number, openGaps: readonly WatcherGap[] = []): Promise<TimelineDocument> {
  if (q.episode) {
    const start = episodeStart(q.episode);
    if (start === undefined) throw new NotFoundError(`no episode "${q.episode}"`);
    const events = await store.query({ ...(q.cluster ? { cluster: q.cluster } : {}), ...(q.namespace ? { namespace: q.namespace } : {}), from: start - EPISODE_MARGIN_MS, to: start + 3600_000 });
    const t = computeTimeline(events, { now });
    const ep = t.episodes.find((e) => e.id === q.episode);
    if (!ep) throw new NotFoundError(`no episode "${q.episode}" in ${q.cluster ?? "any cluster"}`);
    const uids = new Set(ep.podUids);
    const from = ep.start - EPISODE_MARGIN_MS;
    const to = (ep.end ?? now) + EPISODE_MARGIN_MS;
    return document(narrow(t, (l) => uids.has(l.uid), from, to), from, to, events.length);
  }
  const to = q.to ?? now;
  const from = q.from ?? to - DEFAULT_RANGE_MS;
  const stored = await store.query({
    ...(q.cluster ? { cluster: q.cluster } : {}),
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.service ? { service: q.service } : {}),
    from,
    to,
  });
  const events = withOpenGaps(stored, openGaps, q, to);
  const t = computeTimeline(events, { now });
  const keep = (l: PodLane) => (!q.workload || l.workload === q.workload) && (!q.service || l.services.includes(q.service));
  return document(q.workload || q.service ? narrow(t, keep, from, to) : t, from, to, events.length);
}

export interface EpisodeSummary extends Omit<Episode, "start" | "end"> {
  readonly cluster: string;
  readonly start: string;
  readonly end: string | null;
  readonly podCount: number;
}

export async function listEpisodes(store: Store, q: EpisodesQuery, now: number): Promise<EpisodeSummary[]> {
  const to = q.to ?? now;
  const from = q.from ?? to - DEFAULT_RANGE_MS;
  const clusters = q.cluster ? [q.cluster] : (await store.clusters()).map((c) => c.name);
  const out: EpisodeSummary[] = [];
  for (const cluster of clusters) {
    const events = await store.query({ cluster, ...(q.namespace ? { namespace: q.namespace } : {}), ...(q.service ? { service: q.service } : {}), from, to });
    const t = computeTimeline(events, { now });
    for (const e of t.episodes) {
      if (e.start < from || e.start > to) continue;
      out.push({ ...e, cluster, start: new Date(e.start).toISOString(), end: e.end === undefined ? null : new Date(e.end).toISOString(), podCount: e.podUids.length });
    }
  }
  return out.sort((a, b) => (a.start < b.start ? 1 : -1)).slice(0, q.limit);
}

export async function getPod(store: Store, uid: string, cluster: string | undefined, now: number) {
  const mine = await store.query({ ...(cluster ? { cluster } : {}), podUids: [uid] });
  const own = mine.filter((e) => "podUid" in e && e.podUid === uid);
  const first = own[0];
  if (!first) throw new NotFoundError(`no pod with uid ${uid}`);
  // Service-wide rules need the pod's neighbours: compute over its namespace for its lifetime.
  const from = Math.min(...own.map((e) => e.range[0]));
  const to = Math.max(...own.map((e) => e.range[1]));
  const events = await store.query({ cluster: first.cluster, namespace: first.namespace, from, to });
  const t = computeTimeline(events, { now });
  const lane = t.pods.find((p) => p.uid === uid);
  return {
    cluster: first.cluster,
    lane,
    riskWindows: t.riskWindows.filter((w) => w.pods.some((p) => p.uid === uid)),
    lint: t.lint.filter((l) => lane && l.workload === lane.workload && l.namespace === lane.namespace),
    events: own,
  };
}
