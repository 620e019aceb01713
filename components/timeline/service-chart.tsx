"use client";
/**
 * Per-service endpoint counts (ready, serving+terminating) on the swimlane's time axis: the plot starts at
 * the swimlane gutter and ends at its scrollbar, with the same window, so a time lines up in both.
 */
import { memo, useEffect, useMemo, useRef } from "react";
import { Area, AreaChart, ReferenceArea, XAxis, YAxis } from "recharts";
import type { ServiceSeries } from "@/lib/engine/types";
import type { EpochMs } from "@/lib/model/time";
import { PATTERN_TILES } from "@/lib/view/encoding";
import { countTicks, dropSubPixelSteps, noReadyBands, pointsInWindow, pointsPerPixel } from "@/lib/view/service-series";
import type { ViewRiskWindow } from "@/lib/view/timeline-doc";
import { createTimeScale, type TimeWindow } from "@/lib/view/time-scale";
import type { CursorStore } from "./cursor-store";
import { GUTTER_PX } from "./draw-lanes";

interface Props {
  readonly series: ServiceSeries;
  readonly window: TimeWindow;
  readonly width: number;
  readonly rightPx: number;
  readonly now: EpochMs;
  readonly risks: readonly ViewRiskWindow[];
  /** The crosshair shared with the swimlane: drawn here, and set by hovering this chart. */
  readonly cursor: CursorStore;
}

const HEIGHT = 72;
/** Room above and below the plot for the y-axis' end labels ("0" would be cut at the bottom edge otherwise). */
const PLOT_MARGIN_Y = 8;
/** One chart's height in the strip, its top border included (timeline-view sizes the strip with it). */
export const SERVICE_CHART_PX = HEIGHT + 1;
const HATCH = PATTERN_TILES.hatch;
/** The y-axis sits at the right of the gutter, so the plot still starts where the swimlane's time axis does. */
const YAXIS_PX = 34;
/** Width of the columns the chart's points are reduced to (the step areas' extremes per column are kept). */
const CHART_COLUMN_PX = 2;
/**
 * A step smaller than this (px on the y-axis) is not drawn: the edges stay within it of the data. Up to
 * ~1,100 endpoints on the axis one count is at least this high, so every step is kept and only repeats go.
 */
const CHART_MIN_STEP_PX = 0.05;

export const ServiceChart = memo(function ServiceChart({ series, window: w, width, rightPx, now, risks, cursor }: Props) {
  // The plot spans the swimlane's: from the gutter to its scrollbar, on the same window.
  const plotW = width - GUTTER_PX - rightPx;
  // No more points than the plot can show (the chart library renders each one, ~0.1 ms apiece): the
  // extremes per two-pixel column (lib/view/service-series.ts).
  const maxY = useMemo(() => Math.max(1, ...series.points.map((p) => p.ready + p.servingTerminating)), [series.points]);
  const ticks = useMemo(() => countTicks(maxY), [maxY]);
  const yMax = ticks[ticks.length - 1] ?? maxY;
  // …and by height: steps under a twentieth of a pixel are left out (a 5,000-endpoint count flipping by one).
  const minStep = (CHART_MIN_STEP_PX * yMax) / (HEIGHT - 2 * PLOT_MARGIN_Y);
  const data = useMemo(
    () => dropSubPixelSteps(pointsPerPixel(pointsInWindow(series.points, w, now), w, Math.max(1, plotW / CHART_COLUMN_PX)), minStep).map((p) => ({ t: p.t, ready: p.ready, st: p.servingTerminating })),
    [series.points, w, now, plotW, minStep],
  );
  // The engine's no-ready-endpoints windows are the one source of truth (it knows about start-up and
  // teardown), matched by namespace and name.
  const noReady = useMemo(() => noReadyBands(risks, series, now), [risks, series, now]);
  const last = data[data.length - 1];
  const scale = useMemo(() => (plotW > 0 && w.end > w.start ? createTimeScale(w, plotW, GUTTER_PX) : undefined), [w, plotW]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const lineRef = useRef<HTMLDivElement>(null);
  // The crosshair moves at pointer rate: placed in the DOM directly, no chart render.
  useEffect(() => {
    const place = () => {
      const t = cursor.get();
      const wrap = wrapRef.current;
      const line = lineRef.current;
      if (!wrap || !line) return;
      if (t === undefined || !scale || t < w.start || t > w.end) {
        line.style.display = "none";
        delete wrap.dataset.crosshair;
        return;
      }
      line.style.display = "block";
      line.style.left = `${Math.round(scale.timeToPx(t))}px`;
      wrap.dataset.crosshair = String(Math.round(t));
    };
    place();
    return cursor.subscribe(place);
  }, [cursor, scale, w]);
  const onPointer = (e: React.PointerEvent<HTMLDivElement>) => {
    const x = e.clientX - e.currentTarget.getBoundingClientRect().left;
    cursor.set(scale && x >= scale.origin && x <= scale.origin + scale.pixels ? scale.pxToTime(x) : undefined);
  };
  if (width <= GUTTER_PX + 10) return null;
  return (
    <div
      ref={wrapRef}
      onPointerMove={onPointer}
      onPointerLeave={() => cursor.set(undefined)}
      className="relative border-t border-line"
      data-testid="service-chart"
      data-service={series.service}
      data-namespace={series.namespace}
      data-no-ready={JSON.stringify(noReady)}
    >
      <div className="absolute left-0 top-0 z-10 flex h-full flex-col justify-center bg-surface-sunken px-2 text-xs" style={{ width: GUTTER_PX - YAXIS_PX }}>
        {/* The service name is kept whole where it fits; the namespace is the part that gives way. */}
        <div className="flex min-w-0 font-semibold" title={`service ${series.namespace}/${series.service}`} data-testid="chart-title">
          <span className="max-w-full shrink-0 truncate">svc {series.service}</span>
          <span className="min-w-0 truncate font-normal text-fg-muted">&nbsp;· {series.namespace}</span>
        </div>
        <div className="flex items-center gap-1 overflow-hidden whitespace-nowrap text-[11px] text-fg-muted">
          <span className="inline-block h-2 w-3 shrink-0 bg-phase-serving" /> ready {last ? last.ready : "—"}
          <span className="ml-1 inline-block h-2 w-3 shrink-0 border border-phase-draining bg-[repeating-linear-gradient(135deg,var(--color-phase-draining)_0_1px,transparent_1px_4px)]" /> terminating {last ? last.st : "—"}
        </div>
        <div className="truncate text-fg-muted">{noReady.length > 0 ? `${noReady.length} no-ready window${noReady.length > 1 ? "s" : ""}` : "endpoints"}</div>
      </div>
      <AreaChart width={width} height={HEIGHT} data={data} margin={{ left: GUTTER_PX - YAXIS_PX, right: rightPx, top: PLOT_MARGIN_Y, bottom: PLOT_MARGIN_Y }}>
        <defs>
          {/* The swimlane's serving+terminating hatch (encoding.PATTERN_TILES), not a look-alike. */}
          <pattern id="svc-st-hatch" width={HATCH.size} height={HATCH.size} patternUnits="userSpaceOnUse">
            <rect width={HATCH.size} height={HATCH.size} fill="var(--color-surface)" />
            <path d={HATCH.path} stroke="var(--color-phase-draining)" strokeWidth={HATCH.width} fill="none" />
          </pattern>
        </defs>
        <XAxis dataKey="t" type="number" domain={[w.start, w.end]} allowDataOverflow hide />
        <YAxis
          type="number"
          domain={[0, yMax]}
          ticks={ticks}
          interval={0}
          width={YAXIS_PX}
          allowDataOverflow
          tick={{ fontSize: 10, fill: "var(--color-fg-muted)" }}
          tickLine={false}
          axisLine={{ stroke: "var(--color-line)" }}
          allowDecimals={false}
        />
        {noReady.map((s, i) => (
          <ReferenceArea key={i} x1={Math.max(s.start, w.start)} x2={Math.min(s.end, w.end)} y1={0} y2={yMax} fill="var(--color-risk-critical)" fillOpacity={0.25} stroke="var(--color-risk-critical)" ifOverflow="hidden" />
        ))}
        <Area type="stepAfter" dataKey="ready" stackId="a" stroke="var(--color-phase-serving)" fill="var(--color-phase-serving)" fillOpacity={0.7} isAnimationActive={false} dot={false} />
        <Area type="stepAfter" dataKey="st" stackId="a" stroke="var(--color-phase-draining)" fill="url(#svc-st-hatch)" fillOpacity={1} isAnimationActive={false} dot={false} />
      </AreaChart>
      <div ref={lineRef} aria-hidden data-testid="chart-crosshair" className="pointer-events-none absolute inset-y-0 z-20 hidden w-px bg-fg-muted" />
    </div>
  );
});
