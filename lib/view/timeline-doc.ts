/**
 * The timeline API's document as the UI sees it: the `analyze --json` shape (times as ISO strings) plus
 * the lanes and series the swimlane draws (times as epoch ms). Mirrors server/queries/timeline.ts's
 * TimelineDocument, which the UI may not import (components/ never imports server/).
 */
import type { GapInterval, PodLane, ServiceSeries } from "../engine/types";
import type { AnalysisDocument, AnalysisWindow } from "../report/analysis-json";
import type { EpochMs } from "../model/time";

export interface TimelineDoc extends AnalysisDocument {
  readonly range: { readonly from: EpochMs; readonly to: EpochMs };
  readonly lanes: readonly PodLane[];
  readonly serviceCounts: readonly ServiceSeries[];
  readonly gaps: readonly GapInterval[];
  readonly eventCount: number;
}

/** A risk window with its times parsed once for drawing. */
export interface ViewRiskWindow extends AnalysisWindow {
  readonly startMs: EpochMs;
  /** Undefined while still open: drawn to `now`. */
  readonly endMs?: EpochMs;
}

/**
 * `now`: the document's clock. A window that starts after it is a forecast from estimated times (e.g. a
 * SIGTERM expected when a preStop sleep ends, while the pod is still routable); live, the data often
 * disproves it seconds later, so it is not drawn until it has begun.
 */
export function toViewWindows(ws: readonly AnalysisWindow[], now: EpochMs = Infinity): ViewRiskWindow[] {
  const out: ViewRiskWindow[] = [];
  for (const w of ws) {
    const startMs = Date.parse(w.start);
    if (!Number.isFinite(startMs)) continue; // skip one bad row rather than drop the list
    if (startMs > now) continue;
    const endMs = w.end === null ? undefined : Date.parse(w.end);
    out.push({ ...w, startMs, ...(endMs !== undefined && Number.isFinite(endMs) ? { endMs } : {}) });
  }
  const rank: Record<string, number> = { critical: 0, high: 1, medium: 2, info: 3 };
  return out.sort((a, b) => (rank[a.severity] ?? 9) - (rank[b.severity] ?? 9) || a.startMs - b.startMs);
}
