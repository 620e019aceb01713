/** The timeline API's document as the UI uses it (one definition, in lib/api), and its windows parsed for drawing. */
import { decodeCompactTimeline } from "../api/timeline-compact";
import { toTimelineDocument, type TimelineDocument } from "../api/timeline-document";
import type { AnalysisWindow } from "../report/analysis-json";
import type { EpochMs } from "../model/time";

export type TimelineDoc = TimelineDocument;

/**
 * The document from the compact format (`?format=compact`), which the page fetches: the same document
 * as `?format=json` (server/queries/timeline-view-model.test.ts), for less server time and fewer bytes.
 */
export function timelineDocFromCompact(raw: unknown): TimelineDoc {
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
