/**
 * One per-service endpoint chart for the SVG export, as the dashboard's chart strip draws it
 * (components/timeline/service-chart.tsx): ready endpoints solid in the serving colour, serving+terminating
 * stacked on top in the draining hatch, the engine's no-ready-endpoints windows as critical bands, a y-axis
 * with 0 / middle / max, and the Service's name with its counts at the window's end. Same data helpers
 * (lib/view/service-series) and the same engine result; cluster text is escaped.
 */
import type { ServiceSeries } from "../engine/types";
import type { AnalysisWindow } from "../report/analysis-json";
import { LIGHT_COLOURS as C } from "../view/encoding";
import { countTicks, noReadyBands, pointsInWindow, type BandSource } from "../view/service-series";
import { esc } from "./xml-escape";

export const CHART_H = 64;
export const CHART_GAP = 4;
const PLOT_TOP = 6;
const PLOT_BOTTOM = 2;

const n = (v: number) => v.toFixed(1);

export interface ChartBox {
  readonly top: number;
  /** Plot area: the swimlane's time axis. */
  readonly left: number;
  readonly width: number;
  /** The label block, left of the y-axis. */
  readonly labelX: number;
  readonly labelW: number;
}

function bandSources(ws: readonly AnalysisWindow[]): BandSource[] {
  return ws.flatMap((w) => {
    const startMs = Date.parse(w.start);
    const endMs = w.end === null ? undefined : Date.parse(w.end);
    return Number.isFinite(startMs) ? [{ rule: w.rule, namespace: w.namespace, service: w.service, startMs, ...(endMs !== undefined && Number.isFinite(endMs) ? { endMs } : {}) }] : [];
  });
}

/** A filled step area between two step series over the same points (value holds until the next point). */
function stepArea(ts: readonly number[], lo: readonly number[], hi: readonly number[]): string {
  const last = ts.length - 1;
  if (last < 0) return "";
  let d = `M${n(ts[0] ?? 0)} ${n(hi[0] ?? 0)}`;
  for (let i = 1; i <= last; i++) d += `H${n(ts[i] ?? 0)}V${n(hi[i] ?? 0)}`;
  d += `V${n(lo[last] ?? 0)}`;
  for (let i = last; i >= 1; i--) d += `V${n(lo[i - 1] ?? 0)}H${n(ts[i - 1] ?? 0)}`;
  return `${d}Z`;
}

export function serviceChartSvg(
  series: ServiceSeries,
  box: ChartBox,
  view: { readonly from: number; readonly to: number; readonly now: number },
  windows: readonly AnalysisWindow[],
  x: (t: number) => number,
): string {
  const out: string[] = [];
  const points = pointsInWindow(series.points, { start: view.from, end: view.to });
  const maxY = Math.max(1, ...series.points.map((p) => p.ready + p.servingTerminating));
  const ticks = countTicks(maxY);
  const top = ticks[ticks.length - 1] ?? maxY;
  const y0 = box.top + CHART_H - PLOT_BOTTOM;
  const y = (v: number) => y0 - (Math.min(v, top) / top) * (CHART_H - PLOT_TOP - PLOT_BOTTOM);
  const bands = noReadyBands(bandSources(windows), series, view.now);
  const name = `${series.namespace}/${series.service}`;
  const lastPoint = points[points.length - 1];
  out.push(`<g data-service="${esc(name)}" data-no-ready="${bands.length}">`);
  out.push(`<line x1="0" y1="${box.top - CHART_GAP / 2}" x2="${box.left + box.width + 16}" y2="${box.top - CHART_GAP / 2}" stroke="${C.line}"/>`);
  // Label block: name, counts at the window's end, no-ready windows.
  out.push(`<text x="${box.labelX}" y="${box.top + 16}" fill="${C.fg}" font-weight="bold">${esc(`svc ${name}`.length > 34 ? `${`svc ${name}`.slice(0, 33)}…` : `svc ${name}`)}</text>`);
  out.push(`<rect x="${box.labelX}" y="${box.top + 24}" width="12" height="8" fill="${C.serving}"/>`);
  out.push(`<text x="${box.labelX + 16}" y="${box.top + 32}" fill="${C.muted}" font-size="10">ready ${lastPoint ? lastPoint.ready : "—"}</text>`);
  out.push(`<rect x="${box.labelX + 70}" y="${box.top + 24}" width="12" height="8" fill="url(#ds-hatch-draining)" stroke="${C.draining}"/>`);
  out.push(`<text x="${box.labelX + 86}" y="${box.top + 32}" fill="${C.muted}" font-size="10">terminating ${lastPoint ? lastPoint.servingTerminating : "—"}</text>`);
  out.push(`<text x="${box.labelX}" y="${box.top + 48}" fill="${C.muted}" font-size="10">endpoints${bands.length > 0 ? ` · ${bands.length} no-ready window${bands.length > 1 ? "s" : ""}` : ""}</text>`);
  // Y-axis at the plot's left edge, ticks 0 / middle / max.
  out.push(`<line x1="${box.left - 0.5}" y1="${box.top + PLOT_TOP}" x2="${box.left - 0.5}" y2="${y0}" stroke="${C.line}"/>`);
  for (const t of ticks) out.push(`<text x="${box.left - 4}" y="${n(y(t) + 3)}" text-anchor="end" fill="${C.muted}" font-size="10">${t}</text>`);
  // No-ready bands (the engine's windows, matched by namespace and name), clipped to the view.
  for (const b of bands) {
    const s = x(Math.max(b.start, view.from));
    const e = x(Math.min(b.end, view.to));
    if (e <= s) continue;
    out.push(`<rect x="${n(s)}" y="${box.top + PLOT_TOP}" width="${n(e - s)}" height="${n(y0 - box.top - PLOT_TOP)}" fill="${C.critical}" fill-opacity="0.25" stroke="${C.critical}" data-band="no-ready"/>`);
  }
  if (points.length > 0) {
    const ts = points.map((p) => x(p.t));
    const base = points.map(() => y0);
    const ready = points.map((p) => y(p.ready));
    const stacked = points.map((p) => y(p.ready + p.servingTerminating));
    out.push(`<path d="${stepArea(ts, base, ready)}" fill="${C.serving}" fill-opacity="0.7" stroke="${C.serving}" stroke-width="1" data-series="ready"/>`);
    if (points.some((p) => p.servingTerminating > 0)) out.push(`<path d="${stepArea(ts, ready, stacked)}" fill="url(#ds-hatch-draining)" stroke="${C.draining}" stroke-width="1" data-series="serving-terminating"/>`);
  }
  out.push(`</g>`);
  return out.join("\n");
}
