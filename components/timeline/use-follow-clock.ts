"use client";
/**
 * Follow mode's clock: once a second the view's right edge moves to "now" (90 % of the span before it).
 * Zooming keeps following with the new span; a pan (same span, moved by the user) pauses. Returns the
 * wall clock of the last tick (the "now" line while following).
 */
import { useEffect, useState } from "react";
import type { EpochMs } from "@/lib/model/time";
import type { TimeWindow } from "@/lib/view/time-scale";
import type { TimelineViewState } from "@/lib/view/url-state";
import type { ViewStore } from "./view-store";

export function useFollowClock(follow: boolean, view: ViewStore, update: (patch: Partial<TimelineViewState>) => void, openedAt: EpochMs): EpochMs {
  const [clock, setClock] = useState(openedAt);
  useEffect(() => {
    if (!follow) return;
    let placed: TimeWindow | undefined;
    const tick = () => {
      const now = Date.now();
      const w = view.get();
      const span = w.end - w.start;
      if (placed && w !== placed && span === placed.end - placed.start) {
        update({ follow: false }); // the user panned: pause
        return;
      }
      setClock(now);
      placed = { start: Math.round(now - span * 0.9), end: Math.round(now + span * 0.1) };
      view.set(placed);
      placed = view.get();
    };
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [follow, view, update]);
  return clock;
}
