"use client";
/**
 * The swimlane: a ruler canvas and a lanes canvas, with a transparent native scroller on top of the lanes
 * for vertical scrolling (rows are virtualised: the scroller holds a spacer, the canvas draws only what is
 * in view). Interactions: drag pans, Shift+drag or drag on the ruler brushes, Ctrl/⌘+wheel (or plain wheel
 * on the ruler) zooms at the pointer, horizontal wheel pans, click selects a pod.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { EpochMs } from "@/lib/model/time";
import type { GapInterval } from "@/lib/engine/types";
import { describePrecision, formatDateTime, formatDuration } from "@/lib/view/format";
import { hitTest, type Hit } from "@/lib/view/hit-test";
import { firstRowBelow, rowAt, type LaneLayout } from "@/lib/view/lane-layout";
import { MARKER_NAMES } from "@/lib/view/markers";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import { createTimeScale, type TimeScale, type TimeWindow } from "@/lib/view/time-scale";
import { shiftWindow, zoomWindow } from "@/lib/view/viewport";
import { drawLanes, GUTTER_PX, RULER_PX } from "./draw-lanes";
import { drawRuler } from "./draw-ruler";
import { onThemeChange, readPalette, type Palette } from "./palette";
import { PatternCache } from "./patterns";
import type { ViewStore } from "./view-store";

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
  readonly view: ViewStore;
  readonly brush?: TimeWindow;
  readonly onBrush: (w: TimeWindow | undefined) => void;
  readonly selectedPod?: string;
  readonly onSelectPod: (uid: string | undefined) => void;
  readonly selectedRisk?: string;
  /** A pod to scroll into view; a new object asks again. */
  readonly reveal?: { readonly uid: string };
  readonly onScrollbarWidth?: (px: number) => void;
}

interface Tooltip {
  readonly x: number;
  readonly y: number;
  readonly lines: readonly string[];
  readonly title: string;
}

function hitLines(hit: Hit, now: EpochMs, risks: readonly ViewRiskWindow[], t: EpochMs): { title: string; lines: string[] } {
  const lines: string[] = [];
  let title = "";
  switch (hit.kind) {
    case "marker": {
      if (hit.cluster.length > 1) {
        // One glyph for markers a few px apart: each of them, in time order (zoom in to see them apart).
        title = `${hit.cluster.length} markers`;
        for (const m of hit.cluster) lines.push(`${MARKER_NAMES[m.kind]} ${formatDateTime(m.at).slice(11)} · ${m.precision}${m.detail ? ` · ${m.detail}` : ""}`);
        break;
      }
      const m = hit.marker;
      title = MARKER_NAMES[m.kind];
      lines.push(formatDateTime(m.at));
      lines.push(describePrecision(m.precision, m.range));
      if (m.range[1] > m.range[0]) lines.push(`range ${formatDateTime(m.range[0])} … ${formatDateTime(m.range[1]).slice(11)}`);
      lines.push(m.detail);
      break;
    }
    case "phase":
      title = `phase: ${hit.phase}`;
      lines.push(`${formatDateTime(hit.start)} → ${hit.end !== undefined ? formatDateTime(hit.end).slice(11) : "still open (drawn to now)"}`);
      lines.push(`duration ${formatDuration((hit.end ?? now) - hit.start)}${hit.end === undefined ? " so far" : ""}`);
      break;
    case "membership":
      title = `${hit.state}`;
      lines.push(hit.label);
      lines.push(`${formatDateTime(hit.start)} → ${hit.end !== undefined ? formatDateTime(hit.end).slice(11) : "still open"}`);
      lines.push(`duration ${formatDuration((hit.end ?? now) - hit.start)}`);
      break;
    case "header":
      title = hit.row.kind === "workload" || hit.row.kind === "revision" ? hit.row.label : "";
      break;
  }
  if (hit.row.kind !== "workload" && hit.row.kind !== "revision") {
    const uid = hit.row.lane.uid;
    lines.unshift(`pod ${hit.row.lane.name}`);
    for (const w of risks) {
      if (w.startMs <= t && t <= (w.endMs ?? now) && (w.podUids.length === 0 || w.podUids.includes(uid))) lines.push(`⚠ ${w.severity} ${w.rule} (${formatDuration((w.endMs ?? now) - w.startMs)})`);
    }
  }
  return { title, lines };
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
  const hoverX = useRef<number | undefined>(undefined);
  const liveBrush = useRef<TimeWindow | undefined>(undefined);
  const seenLayout = useRef<LaneLayout | undefined>(undefined);
  const anchorLayout = useRef<LaneLayout | undefined>(undefined);
  const [tooltip, setTooltip] = useState<Tooltip | undefined>(undefined);

  const scaleFor = useCallback((w: TimeWindow): TimeScale | undefined => {
    const plot = size.current.w - GUTTER_PX;
    return plot > 0 && w.end > w.start ? createTimeScale(w, plot) : undefined;
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
      ...(hoverX.current !== undefined ? { hoverX: hoverX.current } : {}),
    });
    lanesRef.current?.setAttribute("data-bands", String(countVisibleBands(p.risks, scale.window, p.now)));
    ruler.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawRuler({ ctx: ruler, palette: palette.current, width: w, height: RULER_PX, scale, risks: p.risks, now: p.now, ...(brush ? { brush } : {}), ...(hoverX.current !== undefined ? { hoverX: hoverX.current } : {}) });
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
    if (!anchor || anchor.kind === "workload" || anchor.kind === "revision") return;
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

  // Wheel: non-passive so Ctrl+wheel and horizontal wheel can be taken over.
  useEffect(() => {
    const scroller = scrollerRef.current;
    const ruler = rulerRef.current;
    if (!scroller || !ruler) return;
    const zoomAt = (e: WheelEvent, el: HTMLElement) => {
      const w = propsRef.current.view.get();
      const scale = scaleFor(w);
      if (!scale) return;
      const px = e.clientX - el.getBoundingClientRect().left - GUTTER_PX;
      const anchor = px >= 0 ? scale.pxToTime(px) : (w.start + w.end) / 2;
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
  }, [scaleFor]);

  const drag = useRef<{ mode: "pan" | "brush"; x0: number; y0: number; w0: TimeWindow; moved: boolean; pointer: number } | undefined>(undefined);

  const localX = (e: React.PointerEvent, el: HTMLElement) => e.clientX - el.getBoundingClientRect().left;

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
    hoverX.current = x;
    const d = drag.current;
    if (d) {
      if (Math.abs(x - d.x0) > 3 || Math.abs(e.clientY - d.y0) > 3) d.moved = true;
      const scale = scaleFor(d.w0);
      if (scale && d.moved) {
        if (d.mode === "pan") propsRef.current.view.set(shiftWindow(d.w0, -(x - d.x0) / scale.density));
        else {
          const a = scale.pxToTime(Math.max(0, d.x0 - GUTTER_PX));
          const b = scale.pxToTime(Math.max(0, x - GUTTER_PX));
          liveBrush.current = { start: Math.round(Math.min(a, b)), end: Math.round(Math.max(a, b)) };
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
    const hit = x >= GUTTER_PX ? hitTest(row, x - GUTTER_PX, scale) : row ? ({ kind: "header", row } as const) : undefined;
    if (!hit || (hit.kind === "header" && x >= GUTTER_PX)) {
      setTooltip(undefined);
      return;
    }
    const t = scale.pxToTime(x - GUTTER_PX);
    const { title, lines } = hitLines(hit, propsRef.current.now, propsRef.current.risks, t);
    setTooltip({ x: Math.max(GUTTER_PX, Math.min(x + 14, size.current.w - 320)), y: e.clientY - scroller.getBoundingClientRect().top + 14, title, lines });
  };

  const onPointerUp = (e: React.PointerEvent<HTMLElement>) => {
    const d = drag.current;
    drag.current = undefined;
    if (!d) return;
    if (d.mode === "brush" && d.moved) {
      const b = liveBrush.current;
      liveBrush.current = undefined;
      propsRef.current.onBrush(b && b.end > b.start ? b : undefined);
      return;
    }
    if (!d.moved && e.currentTarget === scrollerRef.current) {
      const scroller = scrollerRef.current;
      const y = e.clientY - scroller.getBoundingClientRect().top + scroller.scrollTop;
      const row = rowAt(propsRef.current.layout.rows, y);
      if (row && row.kind !== "workload" && row.kind !== "revision") propsRef.current.onSelectPod(row.lane.uid);
    }
  };

  const onLeave = () => {
    hoverX.current = undefined;
    setTooltip(undefined);
    schedule();
  };

  return (
    <div ref={wrapRef} className="relative flex min-h-0 flex-1 flex-col">
      <canvas
        ref={rulerRef}
        data-testid="ruler"
        className="block shrink-0 cursor-crosshair touch-none"
        aria-label="Time ruler: drag to brush a range, wheel to zoom"
        onPointerDown={(e) => startDrag(e, "brush")}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={onLeave}
        onDoubleClick={() => props.onBrush(undefined)}
      />
      <div className="relative min-h-0 flex-1">
        <canvas ref={lanesRef} data-testid="lanes-canvas" className="absolute left-0 top-0 block" aria-hidden />
        <div
          ref={scrollerRef}
          data-testid="lanes"
          role="application"
          aria-label={`Swimlane of ${props.layout.podOrder.length} pods. Keys: W/S zoom, A/D pan, arrows select pod, F fit, Esc clear.`}
          className="absolute inset-0 cursor-grab touch-none overflow-y-auto overflow-x-hidden active:cursor-grabbing"
          onScroll={() => {
            setTooltip(undefined); // the row under the pointer changed: a stale tooltip would name the wrong pod
            schedule();
          }}
          onPointerDown={(e) => startDrag(e, "pan")}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerLeave={onLeave}
        >
          <div style={{ height: props.layout.height }} />
        </div>
        {tooltip ? (
          <div
            role="tooltip"
            data-testid="tooltip"
            className="pointer-events-none absolute z-20 max-w-sm rounded border border-line bg-surface px-2 py-1 text-xs shadow-lg"
            style={{ left: tooltip.x, top: tooltip.y }}
          >
            {tooltip.title ? <div className="font-semibold">{tooltip.title}</div> : null}
            {tooltip.lines.map((l, i) => (
              <div key={i} className="font-mono text-fg-muted">
                {l}
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
