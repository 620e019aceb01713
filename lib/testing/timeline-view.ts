/** A small `TimelineView` for the wire-format tests: an empty timeline with the given parts written over it. */
import type { TimelineView } from "../api/timeline-document";
import type { Timeline } from "../engine/types";

export function testTimelineView(timeline: Partial<Timeline>, extra: Record<string, unknown> = {}): TimelineView {
  return {
    timeline: { now: 5000, pods: [], services: [], riskWindows: [], episodes: [], lint: [], suggestions: [], gaps: [], ...timeline },
    range: { from: 0, to: 5000 },
    eventCount: 3,
    live: false,
    dataSpan: { from: 1000, to: 4000 },
    noData: null,
    ...extra,
  } as TimelineView;
}
