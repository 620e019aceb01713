"use client";
import { useEffect, useState, type RefObject } from "react";
import type { TimeWindow } from "@/lib/view/time-scale";
import { coversVisible, nextFetchWindow, type FetchedCoverage } from "@/lib/view/viewport";
import type { ViewStore } from "./view-store";

/**
 * The view window as React state once it has settled for `ms` (trailing debounce): for the chart and the
 * URL. While the user zooms or pans, only the canvas redraws; React renders when they stop (scale target:
 * zoom/pan frames < 16 ms with 1,000 lanes — a chart render per frame misses it).
 */
export function useSettledWindow(view: ViewStore, ms: number): TimeWindow {
  const [w, setW] = useState(view.get);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsub = view.subscribe(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        setW(view.get());
      }, ms);
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
    };
  }, [view, ms]);
  return w;
}

/**
 * The window to fetch: bucket-snapped and kept while it covers the view (lib/view/viewport.ts
 * nextFetchWindow), so React state — and the 1.5 MB refetch of 1,000 pods — changes only when the view
 * leaves it. Also kept while the document on screen (`shown`) already holds all the data the view can
 * show (coversVisible): no refetch, decode and layout of the same lanes when a pan crosses the bucket's
 * edge into time without data. Checked on every view change, committed after `ms` of quiet.
 */
export function useFetchWindow(view: ViewStore, ms: number, shown?: RefObject<FetchedCoverage | undefined>): TimeWindow {
  const [fw, setFw] = useState(() => nextFetchWindow(undefined, view.get()));
  useEffect(() => {
    let current = fw;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsub = view.subscribe(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        const visible = view.get();
        const doc = shown?.current;
        if (doc && coversVisible(doc, visible)) return;
        const next = nextFetchWindow(current, visible);
        if (next !== current) {
          current = next;
          setFw(next);
        }
      }, ms);
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
    };
    // `fw` seeds the closure; later changes come from this effect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, ms, shown]);
  return fw;
}
