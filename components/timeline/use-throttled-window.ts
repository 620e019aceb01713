"use client";
import { useEffect, useState } from "react";
import type { TimeWindow } from "@/lib/view/time-scale";
import type { ViewStore } from "./view-store";

/** The view window as React state, at most every `ms` (trailing): for the chart, the URL and the fetch. */
export function useThrottledWindow(view: ViewStore, ms: number): TimeWindow {
  const [w, setW] = useState(view.get);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsub = view.subscribe(() => {
      if (timer) return;
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
