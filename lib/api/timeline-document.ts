/**
 * GET /api/timeline's answer, shared by the server that builds it and the UI that draws it: the
 * `analyze --json` shape (times as ISO strings) plus the lanes and series the swimlane draws (epoch ms).
 */
import type { GapInterval, PodLane, ServiceSeries } from "../engine/types";
import type { EpochMs } from "../model/time";
import type { AnalysisDocument } from "../report/analysis-json";

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
