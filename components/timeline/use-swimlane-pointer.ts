"use client";
/**
 * The swimlane's pointer and wheel: drag pans, Shift+drag or drag on the ruler brushes, Ctrl/⌘+wheel (or
 * plain wheel on the ruler) zooms at the pointer, horizontal wheel pans, click selects a pod, hover shows
 * the tooltip and the cursor line. Pointer x is canvas x: the time scale owns the gutter offset.
 */
import { useEffect, useRef, useState, type RefObject } from "react";
import { hitTest } from "@/lib/view/hit-test";
import { isPodRow, rowAt } from "@/lib/view/lane-layout";
import type { TimeScale, TimeWindow } from "@/lib/view/time-scale";
import { shiftWindow, zoomWindow } from "@/lib/view/viewport";
import { GUTTER_PX } from "./draw-lanes";
import type { SwimlaneProps } from "./swimlane";
import { hitLines, type TooltipContent } from "./swimlane-tooltip";

export interface PointerContext {
  readonly scrollerRef: RefObject<HTMLDivElement | null>;
  readonly rulerRef: RefObject<HTMLCanvasElement | null>;
  /** The latest props (read at event time, so handlers never go stale). */
  readonly propsRef: RefObject<SwimlaneProps>;
  /** Canvas width in CSS px. */
  readonly widthRef: RefObject<{ readonly w: number }>;
  /** Read by the draw: the brush being dragged (the cursor line is props.cursor). */
  readonly liveBrushRef: RefObject<TimeWindow | undefined>;
  readonly scaleFor: (w: TimeWindow) => TimeScale | undefined;
  /** Asks for a redraw on the next frame. */
  readonly schedule: () => void;
}

interface Drag {
  readonly mode: "pan" | "brush";
  readonly x0: number;
  readonly y0: number;
  readonly w0: TimeWindow;
  moved: boolean;
  readonly pointer: number;
}

const localX = (e: React.PointerEvent, el: HTMLElement) => e.clientX - el.getBoundingClientRect().left;

export function useSwimlanePointer(c: PointerContext) {
  const { scrollerRef, rulerRef, propsRef, widthRef, liveBrushRef, scaleFor, schedule } = c;
  const [tooltip, setTooltip] = useState<TooltipContent | undefined>(undefined);
  const drag = useRef<Drag | undefined>(undefined);

  // Wheel: non-passive so Ctrl+wheel and horizontal wheel can be taken over.
  useEffect(() => {
    const scroller = scrollerRef.current;
    const ruler = rulerRef.current;
    if (!scroller || !ruler) return;
    const zoomAt = (e: WheelEvent, el: HTMLElement) => {
      const w = propsRef.current.view.get();
      const scale = scaleFor(w);
      if (!scale) return;
      const x = e.clientX - el.getBoundingClientRect().left;
      const anchor = x >= scale.origin ? scale.pxToTime(x) : (w.start + w.end) / 2;
      propsRef.current.view.set(zoomWindow(w, Math.exp(e.deltaY * 0.0015), anchor));
    };
    const onLanes = (e: WheelEvent) => {
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        zoomAt(e, scroller);
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        const w = propsRef.current.view.get();
        const scale = scaleFor(w);
        if (scale) propsRef.current.view.set(shiftWindow(w, (e.shiftKey ? e.deltaY || e.deltaX : e.deltaX) / scale.density));
      }
    };
    const onRuler = (e: WheelEvent) => {
      e.preventDefault();
      zoomAt(e, ruler);
    };
    scroller.addEventListener("wheel", onLanes, { passive: false });
    ruler.addEventListener("wheel", onRuler, { passive: false });
    return () => {
      scroller.removeEventListener("wheel", onLanes);
      ruler.removeEventListener("wheel", onRuler);
    };
  }, [scaleFor, scrollerRef, rulerRef, propsRef]);

  const startDrag = (e: React.PointerEvent<HTMLElement>, mode: "pan" | "brush") => {
    if (e.button !== 0) return;
    const el = e.currentTarget;
    const x = localX(e, el);
    if (x < GUTTER_PX && mode === "brush") return;
    if (x > el.clientWidth) return; // on the native scrollbar
    el.setPointerCapture(e.pointerId);
    drag.current = { mode: e.shiftKey ? "brush" : mode, x0: x, y0: e.clientY, w0: propsRef.current.view.get(), moved: false, pointer: e.pointerId };
  };

  const onPointerMove = (e: React.PointerEvent<HTMLElement>) => {
    const el = e.currentTarget;
    const x = localX(e, el);
    const cursorScale = scaleFor(propsRef.current.view.get());
    propsRef.current.cursor.set(cursorScale && x >= cursorScale.origin ? cursorScale.pxToTime(x) : undefined);
    const d = drag.current;
    if (d) {
      if (Math.abs(x - d.x0) > 3 || Math.abs(e.clientY - d.y0) > 3) d.moved = true;
      const scale = scaleFor(d.w0);
      if (scale && d.moved) {
        if (d.mode === "pan") propsRef.current.view.set(shiftWindow(d.w0, -(x - d.x0) / scale.density));
        else {
          const a = scale.pxToTime(Math.max(scale.origin, d.x0));
          const b = scale.pxToTime(Math.max(scale.origin, x));
          liveBrushRef.current = { start: Math.round(Math.min(a, b)), end: Math.round(Math.max(a, b)) };
        }
      }
      setTooltip(undefined);
      schedule();
      return;
    }
    schedule();
    const scroller = scrollerRef.current;
    const scale = scaleFor(propsRef.current.view.get());
    if (!scroller || !scale || el !== scroller) {
      setTooltip(undefined);
      return;
    }
    const y = e.clientY - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const row = rowAt(propsRef.current.layout.rows, y);
    const inPlot = x >= scale.origin;
    const hit = inPlot ? hitTest(row, x, scale) : row ? ({ kind: "header", row } as const) : undefined;
    // Headers have a tooltip in the gutter only; a replacement summary (its band is in the plot) everywhere.
    if (!hit || (hit.kind === "header" && inPlot && hit.row.kind !== "summary")) {
      setTooltip(undefined);
      return;
    }
    const t = scale.pxToTime(x);
    const { title, lines } = hitLines(hit, propsRef.current.now, propsRef.current.risks, t, propsRef.current.axis);
    setTooltip({ x: Math.max(GUTTER_PX, Math.min(x + 14, widthRef.current.w - 320)), y: e.clientY - scroller.getBoundingClientRect().top + 14, title, lines });
  };

  const onPointerUp = (e: React.PointerEvent<HTMLElement>) => {
    const d = drag.current;
    drag.current = undefined;
    if (!d) return;
    if (d.mode === "brush" && d.moved) {
      const b = liveBrushRef.current;
      liveBrushRef.current = undefined;
      propsRef.current.onBrush(b && b.end > b.start ? b : undefined);
      return;
    }
    const scroller = scrollerRef.current;
    if (!d.moved && scroller && e.currentTarget === scroller) {
      const y = e.clientY - scroller.getBoundingClientRect().top + scroller.scrollTop;
      const row = rowAt(propsRef.current.layout.rows, y);
      if (row?.kind === "summary") propsRef.current.onToggleSummary?.(row.group.key);
      else if (isPodRow(row)) propsRef.current.onSelectPod(row.lane.uid);
    }
  };

  const onLeave = () => {
    propsRef.current.cursor.set(undefined);
    setTooltip(undefined);
    schedule();
  };

  /** The row under the pointer changed: a stale tooltip would name the wrong pod. */
  const onScroll = () => {
    setTooltip(undefined);
    schedule();
  };

  return { tooltip, startDrag, onPointerMove, onPointerUp, onLeave, onScroll };
}
