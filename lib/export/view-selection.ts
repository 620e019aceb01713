/**
 * The view on screen, as a selection of one engine result: the visible time range and the pinned lanes.
 * An export narrows the document the timeline page draws (same query, same engine run) with this; nothing
 * is recomputed, windows and series are only kept or dropped.
 *
 * - Range: the visible window, also inside an episode view (the episode is still computed whole, so a
 *   window that began before the zoom keeps its true start and duration).
 * - Lanes: the lanes on screen. First the lane filters of the URL (lib/view/lane-filter.ts filterLanes,
 *   the same function the swimlane runs: search, node, only lanes with risk, idle lanes hidden in the
 *   range); in an episode view its replacement pods are lanes only in the revisions `expanded` names
 *   (collapsed, the swimlane draws them as one summary lane); then the pins: with pins among them,
 *   exactly the pinned pods (the "Pinned" group the swimlane draws on top); without, every shown lane.
 * - Risk windows: those overlapping the range that concern a kept lane (one of its pods, or a service-wide
 *   window of one of its Services); episodes, lint and suggestions of the kept lanes' workloads; the
 *   per-service series of the kept lanes' Services; watcher gaps overlapping the range.
 */
import type { GapInterval, PodLane, ServiceSeries } from "../engine/types";
import type { AnalysisDocument } from "../report/analysis-json";
import { replacementKeyOf } from "../view/replacement-lanes";
import { filterLanes, type LaneFilter, type RiskSpan } from "../view/lane-filter";
import type { TimeWindow } from "../view/time-scale";
import { toViewWindows } from "../view/timeline-doc";
import type { ExportDocument } from "./types";

export interface ViewSelection {
  /** The visible window (epoch ms); undefined keeps the document's range. */
  readonly range?: { readonly from: number; readonly to: number };
  /** Pinned pod uids: when any is in the document, only those lanes are exported. */
  readonly pinned?: readonly string[];
  /** The episode of an episode view: its replacement pods are summary lanes on screen (lib/view/replacement-lanes). */
  readonly episode?: string;
  /** Replacement summaries shown expanded (`rev:<workload>:<revision>`, the URL's `expand`). */
  readonly expanded?: readonly string[];
  /** The lane filters on screen; `hideIdle` is judged on the range. */
  readonly filter?: LaneFilter;
  /** The selected pod: like the pins, never hidden as idle. */
  readonly selected?: string;
}

/** Service-wide rules: they concern every pod behind the Service, not the pods they list. */
const SERVICE_WIDE_RULES: ReadonlySet<string> = new Set(["no-ready-endpoints", "fallback-to-terminating"]);

/** The uids a selection keeps, in the document's order (pins that match no lane are ignored). */
export function selectedLaneUids(lanes: readonly Pick<PodLane, "uid">[], pinned: readonly string[] = []): string[] {
  const pins = new Set(pinned);
  const pinnedHere = lanes.filter((l) => pins.has(l.uid));
  return (pinnedHere.length > 0 ? pinnedHere : lanes).map((l) => l.uid);
}

/**
 * The lanes of the view on screen, in the document's order (lane filters, collapsed replacements, pins):
 * what the Export menu counts and what the server exports (one function, so the count and the files cannot disagree). `risks`: the view's risk
 * windows (all of them, as the swimlane's "only lanes with risk" sees them); `window`: the visible range.
 */
export function viewLaneUids(
  lanes: readonly PodLane[],
  episodes: Parameters<typeof podLanesOnScreen>[1],
  risks: readonly RiskSpan[],
  sel: Omit<ViewSelection, "range">,
  window: TimeWindow,
): string[] {
  const pinned = sel.pinned ?? [];
  const keep = new Set(sel.selected !== undefined ? [...pinned, sel.selected] : pinned);
  const shown = sel.filter ? filterLanes(lanes, sel.filter, risks, window, keep).lanes : lanes;
  return selectedLaneUids(podLanesOnScreen(shown, episodes, sel), pinned);
}

type Selectable = ExportDocument & Partial<Pick<AnalysisDocument, "pods" | "lint" | "summary">> & { readonly serviceCounts?: readonly ServiceSeries[] };

function overlaps(start: number, end: number | null | undefined, from: number, to: number): boolean {
  return start <= to && (end ?? Infinity) >= from;
}

/** The document's lanes the swimlane draws as pods: in an episode view, not its replacements in a collapsed summary (unless pinned). */
export function podLanesOnScreen<L extends Pick<PodLane, "uid" | "workload" | "revision" | "replicaSet">>(lanes: readonly L[], episodes: readonly { readonly id: string; readonly replacementUids?: readonly string[] }[], sel: ViewSelection): L[] {
  const ep = sel.episode === undefined ? undefined : episodes.find((e) => e.id === sel.episode);
  const replacements = new Set(ep?.replacementUids ?? []);
  if (replacements.size === 0) return [...lanes];
  const open = new Set(sel.expanded ?? []);
  const pins = new Set(sel.pinned ?? []);
  return lanes.filter((l) => !replacements.has(l.uid) || pins.has(l.uid) || open.has(replacementKeyOf(l)));
}

export function selectView<D extends Selectable>(doc: D, sel: ViewSelection): D {
  const range = sel.range ?? doc.range;
  const { from, to } = range;
  const keep = new Set(viewLaneUids(doc.lanes, doc.episodes, toViewWindows(doc.riskWindows), sel, { start: from, end: to }));
  const allLanes = keep.size === doc.lanes.length;
  const lanes = doc.lanes.filter((l) => keep.has(l.uid));
  const services = new Set(lanes.flatMap((l) => l.services.map((s) => `${l.namespace}/${s}`)));
  const workloads = new Set(lanes.map((l) => `${l.namespace}/${l.workload}`));
  const ofKeptService = (namespace: string, service: string | null | undefined) => service !== null && service !== undefined && services.has(`${namespace}/${service}`);
  const riskWindows = doc.riskWindows.filter((w) => {
    if (!overlaps(Date.parse(w.start), w.end === null ? null : Date.parse(w.end), from, to)) return false;
    if (allLanes) return true;
    if (w.podUids.some((u) => keep.has(u))) return true;
    return ofKeptService(w.namespace, w.service) && (w.podUids.length === 0 || SERVICE_WIDE_RULES.has(w.rule));
  });
  const episodes = doc.episodes.filter((e) => e.podUids.some((u) => keep.has(u)) && overlaps(Date.parse(e.start), e.end === null ? null : Date.parse(e.end), from, to));
  const gaps: GapInterval[] = doc.gaps.filter((g) => overlaps(g.start, g.end, from, to));
  const out: Record<string, unknown> = {
    ...(doc as Record<string, unknown>),
    range: { from, to },
    lanes,
    riskWindows,
    episodes,
    gaps,
    suggestions: allLanes ? doc.suggestions : doc.suggestions.filter((s) => workloads.has(`${s.namespace}/${s.workload}`)),
  };
  if (doc.lint) out.lint = allLanes ? doc.lint : doc.lint.filter((l) => workloads.has(`${l.namespace}/${l.workload}`));
  if (doc.pods) out.pods = doc.pods.filter((p) => keep.has(p.uid));
  if (doc.serviceCounts) out.serviceCounts = allLanes ? doc.serviceCounts : doc.serviceCounts.filter((s) => services.has(`${s.namespace}/${s.service}`));
  if (doc.summary) {
    const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, info: 0 };
    for (const w of riskWindows) bySeverity[w.severity] = (bySeverity[w.severity] ?? 0) + 1;
    const terminated = (l: PodLane) => Boolean(l.keyTimes.deleteRequested ?? l.keyTimes.killing ?? l.keyTimes.removed);
    out.summary = { pods: lanes.length, terminations: lanes.filter(terminated).length, restarts: lanes.reduce((n, l) => n + l.restarts.length, 0), riskWindows: bySeverity };
  }
  return out as D;
}
