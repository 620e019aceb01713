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
import { toAnalysisDocument, type AnalysisDocument } from "../report/analysis-json";

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

export function toTimelineDocument(v: TimelineView): TimelineDocument {
  const t = v.timeline;
  return {
    ...toAnalysisDocument(t, { allPods: true }),
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
