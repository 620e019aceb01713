"use client";
/**
 * The swimlane: a ruler canvas and a lanes canvas, with a transparent native scroller on top of the lanes
 * for vertical scrolling (rows are virtualised: the scroller holds a spacer, the canvas draws only what is
 * in view). Pointer and wheel interactions are in use-swimlane-pointer.ts, the hover text in
 * swimlane-tooltip.tsx; this file sizes the canvases and draws a frame per animation frame.
 */
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import type { EpochMs } from "@/lib/model/time";
import type { GapInterval } from "@/lib/engine/types";
import { firstRowBelow, isPodRow, type LaneLayout } from "@/lib/view/lane-layout";
import type { TimeAxis } from "@/lib/view/time-axis";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import { createTimeScale, type TimeScale, type TimeWindow } from "@/lib/view/time-scale";
import { drawLanes, GUTTER_PX, RULER_PX } from "./draw-lanes";
import { plural } from "@/lib/view/format";
import { drawRuler } from "./draw-ruler";
import { onThemeChange, readPalette, type Palette } from "./palette";
import { PatternCache } from "./patterns";
import { ReplacementSummaries } from "./replacement-summaries";
import { SwimlaneTooltip } from "./swimlane-tooltip";
import { useSwimlanePointer } from "./use-swimlane-pointer";
import type { ViewStore } from "./view-store";
import type { CursorStore } from "./cursor-store";

declare global {
  interface Window {
    /** Frame timings of the swimlane (ms per draw), read by the benchmark script. */
    __drainscopeFrames?: number[];
    /** performance.now() of the swimlane's first drawn frame. */
    __drainscopeFirstPaint?: number;
    /** Date.now() of the first frame that drew each pod's delete marker (uid → ms), read by the e2e follow test. */
    __drainscopeDeletesDrawn?: Record<string, number>;
  }
}

export interface SwimlaneProps {
  readonly layout: LaneLayout;
  readonly risks: readonly ViewRiskWindow[];
  readonly gaps: readonly GapInterval[];
  readonly now: EpochMs;
  /** The `now` line's name in the ruler ("now" or "data ends"). */
  readonly nowLabel?: string;
  readonly view: ViewStore;
  readonly brush?: TimeWindow;
  readonly onBrush: (w: TimeWindow | undefined) => void;
  readonly selectedPod?: string;
  readonly onSelectPod: (uid: string | undefined) => void;
  /** Expand or collapse a replacement summary lane (its key, `rev:<workload>:<revision>`). */
  readonly onToggleSummary?: (key: string) => void;
  readonly selectedRisk?: string;
  /** A pod to scroll into view; a new object asks again. */
  readonly reveal?: { readonly uid: string };
  readonly onScrollbarWidth?: (px: number) => void;
  /** What the ruler and tooltips read (zone, UTC or T+0). */
  readonly axis: TimeAxis;
  /** The crosshair time shared with the service charts. */
  readonly cursor: CursorStore;
}

function countVisibleBands(risks: readonly ViewRiskWindow[], w: TimeWindow, now: EpochMs): number {
  let n = 0;
  for (const r of risks) if (r.startMs <= w.end && (r.endMs ?? now) >= w.start) n++;
  return n;
}

export function Swimlane(props: SwimlaneProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const rulerRef = useRef<HTMLCanvasElement>(null);
  const lanesRef = useRef<HTMLCanvasElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const propsRef = useRef(props);
  const size = useRef({ w: 0, h: 0, dpr: 1 });
  const palette = useRef<Palette | undefined>(undefined);
  const patterns = useRef<PatternCache | undefined>(undefined);
  const raf = useRef(0);
  const liveBrush = useRef<TimeWindow | undefined>(undefined);
  const seenLayout = useRef<LaneLayout | undefined>(undefined);
  const anchorLayout = useRef<LaneLayout | undefined>(undefined);

  const scaleFor = useCallback((w: TimeWindow): TimeScale | undefined => {
    const plot = size.current.w - GUTTER_PX;
    return plot > 0 && w.end > w.start ? createTimeScale(w, plot, GUTTER_PX) : undefined;
  }, []);

  const draw = useCallback(() => {
    raf.current = 0;
    const p = propsRef.current;
    const lanes = lanesRef.current?.getContext("2d");
    const ruler = rulerRef.current?.getContext("2d");
    const scroller = scrollerRef.current;
    if (!lanes || !ruler || !scroller) return;
    const t0 = performance.now();
    const { w, h, dpr } = size.current;
    const scale = scaleFor(p.view.get());
    if (!scale) return;
    palette.current ??= readPalette(document.documentElement);
    patterns.current ??= new PatternCache(lanes);
    const brush = liveBrush.current ?? p.brush;
    // The crosshair, from the pointer here or over a chart.
    const cursorT = p.cursor.get();
    const hoverX = cursorT !== undefined ? scale.timeToPx(cursorT) : undefined;
    const tickAnchor = p.axis.tickAnchor(scale.window);
    lanes.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawLanes({
      ctx: lanes,
      patterns: patterns.current,
      palette: palette.current,
      width: w,
      height: h,
      scale,
      layout: p.layout,
      scrollTop: scroller.scrollTop,
      now: p.now,
      risks: p.risks,
      gaps: p.gaps,
      ...(p.selectedPod ? { selectedPod: p.selectedPod } : {}),
      ...(p.selectedRisk ? { selectedRisk: p.selectedRisk } : {}),
      ...(brush ? { brush } : {}),
      ...(hoverX !== undefined ? { hoverX } : {}),
      tickAnchor,
    });
    lanesRef.current?.setAttribute("data-bands", String(countVisibleBands(p.risks, scale.window, p.now)));
    ruler.setTransform(dpr, 0, 0, dpr, 0, 0);
    const ticks = drawRuler({ ctx: ruler, palette: palette.current, width: w, height: RULER_PX, scale, risks: p.risks, now: p.now, ...(p.nowLabel ? { nowLabel: p.nowLabel } : {}), ...(brush ? { brush } : {}), axis: p.axis, ...(hoverX !== undefined ? { hoverX } : {}) });
    const tickText = ticks.join("|");
    if (rulerRef.current && rulerRef.current.dataset.ticks !== tickText) rulerRef.current.dataset.ticks = tickText;
    if (cursorT !== undefined) lanesRef.current?.setAttribute("data-crosshair", String(Math.round(cursorT)));
    else lanesRef.current?.removeAttribute("data-crosshair");
    window.__drainscopeFirstPaint ??= performance.now();
    if (p.layout !== seenLayout.current) {
      // Once per new layout (not per frame): note when each delete marker was first drawn.
      seenLayout.current = p.layout;
      const seen = (window.__drainscopeDeletesDrawn ??= {});
      const at = Date.now();
      let n = 0;
      for (const r of p.layout.rows) {
        if (r.kind !== "pod" || !r.lane.keyTimes.deleteRequested) continue;
        n++;
        seen[r.lane.uid] ??= at;
      }
      lanesRef.current?.setAttribute("data-deleted", String(n));
      lanesRef.current?.setAttribute("data-pod-rows", String(p.layout.podOrder.length));
    }
    const frames = (window.__drainscopeFrames ??= []);
    frames.push(performance.now() - t0);
    if (frames.length > 500) frames.splice(0, frames.length - 500);
  }, [scaleFor]);

  const schedule = useCallback(() => {
    if (!raf.current) raf.current = requestAnimationFrame(draw);
  }, [draw]);

  useLayoutEffect(() => {
    propsRef.current = props;
    schedule();
  });

  useEffect(() => props.view.subscribe(schedule), [props.view, schedule]);
  useEffect(() => props.cursor.subscribe(schedule), [props.cursor, schedule]);
  useEffect(
    () =>
      onThemeChange(() => {
        palette.current = undefined;
        patterns.current = undefined;
        schedule();
      }),
    [schedule],
  );
  useEffect(() => () => cancelAnimationFrame(raf.current), []);

  // Size canvases to the scroller's client box (the scrollbar is outside the plot).
  useEffect(() => {
    const wrap = wrapRef.current;
    const scroller = scrollerRef.current;
    if (!wrap || !scroller) return;
    const resize = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = scroller.clientWidth;
      const h = scroller.clientHeight;
      size.current = { w, h, dpr };
      for (const [c, ch] of [
        [lanesRef.current, h],
        [rulerRef.current, RULER_PX],
      ] as const) {
        if (!c) continue;
        c.width = Math.round(w * dpr);
        c.height = Math.round(ch * dpr);
        c.style.width = `${w}px`;
        c.style.height = `${ch}px`;
      }
      patterns.current = undefined;
      propsRef.current.onScrollbarWidth?.(scroller.offsetWidth - scroller.clientWidth);
      draw();
    };
    const ro = new ResizeObserver(resize);
    ro.observe(wrap);
    resize();
    return () => ro.disconnect();
  }, [draw]);

  // No layout shift from live data: when rows are added or grow above the first visible pod, scroll by
  // the same amount so what the user is looking at stays put.
  const { reveal, layout } = props;
  useLayoutEffect(() => {
    const prev = anchorLayout.current;
    anchorLayout.current = layout;
    const scroller = scrollerRef.current;
    if (!prev || prev === layout || !scroller || scroller.scrollTop <= 0) return;
    const top = scroller.scrollTop;
    const anchor = prev.rows[firstRowBelow(prev.rows, top)];
    if (!isPodRow(anchor)) return;
    const before = prev.podSpans.get(anchor.lane.uid);
    const after = layout.podSpans.get(anchor.lane.uid);
    if (before && after && after.top !== before.top) scroller.scrollTop = top + (after.top - before.top);
  }, [layout]);

  // Reveal the selected pod when asked (keyboard navigation, risk list).
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || !reveal) return;
    const span = layout.podSpans.get(reveal.uid);
    if (!span) return;
    if (span.top < scroller.scrollTop || span.bottom > scroller.scrollTop + scroller.clientHeight) {
      scroller.scrollTop = Math.max(0, span.top - scroller.clientHeight / 3);
    }
  }, [reveal, layout]);

  const pointer = useSwimlanePointer({ scrollerRef, rulerRef, propsRef, widthRef: size, liveBrushRef: liveBrush, scaleFor, schedule });

  return (
    <div ref={wrapRef} className="relative flex min-h-0 flex-1 flex-col">
      <canvas
        ref={rulerRef}
        data-testid="ruler"
        className="block shrink-0 cursor-crosshair touch-none"
        aria-label="Time ruler: drag to brush a range, wheel to zoom"
        onPointerDown={(e) => pointer.startDrag(e, "brush")}
        onPointerMove={pointer.onPointerMove}
        onPointerUp={pointer.onPointerUp}
        onPointerLeave={pointer.onLeave}
        onDoubleClick={() => props.onBrush(undefined)}
      />
      <div className="relative min-h-0 flex-1">
        <canvas ref={lanesRef} data-testid="lanes-canvas" className="absolute left-0 top-0 block" aria-hidden />
        <div
          ref={scrollerRef}
          data-testid="lanes"
          role="application"
          data-lane-uids={props.layout.podOrder.join(" ")}
          aria-label={`Swimlane of ${plural(props.layout.podOrder.length, "pod")}. Keys: W/S zoom, A/D pan, arrows select pod, F fit, Esc clear.`}
          className="absolute inset-0 cursor-grab touch-none overflow-y-auto overflow-x-hidden active:cursor-grabbing"
          onScroll={pointer.onScroll}
          onPointerDown={(e) => pointer.startDrag(e, "pan")}
          onPointerMove={pointer.onPointerMove}
          onPointerUp={pointer.onPointerUp}
          onPointerLeave={pointer.onLeave}
        >
          <div style={{ height: props.layout.height }} />
        </div>
        <SwimlaneTooltip tooltip={pointer.tooltip} />
        <ReplacementSummaries layout={props.layout} {...(props.onToggleSummary ? { onToggle: props.onToggleSummary } : {})} />
      </div>
    </div>
  );
}
