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
}
