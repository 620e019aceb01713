/** The timeline API's document as the UI uses it (one definition, in lib/api), and its windows parsed for drawing. */
import { decodeCompactTimeline } from "../api/timeline-compact";
import { toTimelineDocument, toTimelineViewModel, type TimelineDocument, type TimelineViewModel } from "../api/timeline-document";
import type { AnalysisWindow } from "../report/analysis-json";
import type { EpochMs } from "../model/time";

/** The document but its `pods` list, which the page never reads (lib/api/timeline-document.ts). */
export type TimelineDoc = TimelineViewModel;

/**
 * The view model from the compact format (`?format=compact`), which the page fetches: the same as the
 * `?format=json` document gives (server/queries/timeline-view-model.test.ts), for less server time and
 * fewer bytes, without building the `pods` list (every pod again, with ISO times) the page never reads.
 */
export function timelineViewModelFromCompact(raw: unknown): TimelineDoc {
  return toTimelineViewModel(decodeCompactTimeline(raw));
}

/** The whole `?format=json` document from the compact format, `pods` included (for API users and tests). */
export function timelineDocFromCompact(raw: unknown): TimelineDocument {
  return toTimelineDocument(decodeCompactTimeline(raw));
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
