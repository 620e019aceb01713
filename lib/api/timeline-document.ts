/**
 * GET /api/timeline's answer, shared by the server that builds it and the UI that draws it: the
 * `analyze --json` shape (times as ISO strings) plus the lanes and series the swimlane draws (epoch ms).
 *
 * Both wire formats carry one engine result, a `TimelineView`: `?format=json` sends the document built
 * from it here; the compact format (timeline-compact.ts) sends the view itself and the UI builds the
 * document with this same function, so the two cannot drift apart.
 */
import type { GapInterval, PodLane, ServiceSeries, Timeline } from "../engine/types";
import type { EpochMs } from "../model/time";
import { analysisWithoutPods, toAnalysisDocument, type AnalysisDocument } from "../report/analysis-json";

export interface TimelineDocument extends AnalysisDocument {
  readonly range: { readonly from: EpochMs; readonly to: EpochMs };
  readonly lanes: readonly PodLane[];
  readonly serviceCounts: readonly ServiceSeries[];
  readonly gaps: readonly GapInterval[];
  readonly eventCount: number;
  /** True when a watcher records this cluster now; else `generatedFor.now` is its last observation. */
  readonly live: boolean;
  /** First and last event time of the data in scope (cluster / namespace), null when there is none. */
  readonly dataSpan: { readonly from: EpochMs; readonly to: EpochMs } | null;
  /** Set when the range holds no observation: "no data in this range: … spans A → B". */
  readonly noData: string | null;
}

/** The engine's timeline for one query (already narrowed to it), plus what the document says about the query. */
export interface TimelineView extends Pick<TimelineDocument, "range" | "eventCount" | "live" | "dataSpan" | "noData"> {
  readonly timeline: Timeline;
}

/** What the timeline page reads: the document but its `pods` list (the lanes carry every pod already). */
export type TimelineViewModel = Omit<TimelineDocument, "pods">;

/** The page's view model from a document as parsed (`?format=json`). */
export function viewModelOfDocument(doc: TimelineDocument): TimelineViewModel {
  const { pods: _pods, ...rest } = doc;
  return rest;
}

/** The page's view model straight from the engine result (the compact format's decoder), without building `pods`. */
export function toTimelineViewModel(v: TimelineView): TimelineViewModel {
  return { ...analysisWithoutPods(v.timeline), ...documentTail(v) };
}

export function toTimelineDocument(v: TimelineView): TimelineDocument {
  return { ...toAnalysisDocument(v.timeline, { allPods: true }), ...documentTail(v) };
}

function documentTail(v: TimelineView) {
  const t = v.timeline;
  return {
    range: v.range,
    lanes: t.pods,
    serviceCounts: t.services,
    gaps: t.gaps,
    eventCount: v.eventCount,
    live: v.live,
    dataSpan: v.dataSpan,
    noData: v.noData,
  };
}
