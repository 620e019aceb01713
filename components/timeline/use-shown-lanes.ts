"use client";
/** The lanes the swimlane shows after the URL's lane filters (lib/view/lane-filter.ts), with what was hidden. */
import { useMemo } from "react";
import { filterLanes, laneNodes, type FilteredLanes } from "@/lib/view/lane-filter";
import type { TimeWindow } from "@/lib/view/time-scale";
import type { TimelineDoc, ViewRiskWindow } from "@/lib/view/timeline-doc";
import type { TimelineViewState } from "@/lib/view/url-state";

export interface ShownLanes extends FilteredLanes {
  readonly total: number;
  readonly nodes: readonly string[];
}

/** `window`: the settled visible window (idle lanes are judged on it, not per zoom frame). */
export function useShownLanes(doc: TimelineDoc | undefined, state: TimelineViewState, risks: readonly ViewRiskWindow[], window: TimeWindow): ShownLanes {
  const all = doc?.lanes;
  const nodes = useMemo(() => laneNodes(all ?? []), [all]);
  const { search, node, riskOnly, hideIdle, pinned, pod } = state;
  // The idle filter alone depends on the window: without it, zooming must not re-filter.
  const idleWindow = hideIdle ? window : undefined;
  const filtered = useMemo(() => {
    const keep = new Set(pod ? [...pinned, pod] : pinned);
    return filterLanes(all ?? [], { ...(search ? { search } : {}), ...(node ? { node } : {}), ...(riskOnly ? { riskOnly } : {}), ...(idleWindow ? { hideIdle: true } : {}) }, risks, idleWindow ?? { start: 0, end: 0 }, keep);
  }, [all, search, node, riskOnly, idleWindow, risks, pinned, pod]);
  return { ...filtered, total: all?.length ?? 0, nodes };
}
