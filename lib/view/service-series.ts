/** Service endpoint counts for the chart: the slice of points a time window needs. */
import type { ServiceCountPoint } from "../engine/types";
import type { EpochMs } from "../model/time";
import type { TimeWindow } from "./time-scale";

/**
 * Points inside `w`, plus the last one before it (a step series holds its value until the next point)
 * and a copy of the last value at `w.end` (or at `until`, if earlier) so the step reaches the right edge.
 */
export function pointsInWindow(points: readonly ServiceCountPoint[], w: TimeWindow, until: EpochMs = Infinity): ServiceCountPoint[] {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid]?.t ?? Infinity) < w.start) lo = mid + 1;
    else hi = mid;
  }
  const out: ServiceCountPoint[] = [];
  const before = points[lo - 1];
  if (before && (points[lo]?.t ?? Infinity) > w.start) out.push({ ...before, t: w.start });
  for (let i = lo; i < points.length; i++) {
    const p = points[i];
    if (!p || p.t > w.end) break;
    out.push(p);
  }
  // The last count holds to the window's end, or only to `until` (the data's clock, where the lanes' open
  // intervals end at the dashed line): past it nothing is known.
  const end = Math.min(w.end, until);
  const last = out[out.length - 1];
  if (last && last.t < end) out.push({ ...last, t: end });
  return out;
}

/** The risk-window fields a chart band needs. */
export interface BandSource {
  readonly rule: string;
  readonly namespace: string;
  readonly service: string | null;
  readonly startMs: EpochMs;
  readonly endMs?: EpochMs;
}

/**
 * The engine's no-ready-endpoints windows of one Service, as [start, end] bands (an open window drawn to
 * `now`). A Service is its namespace and name: `web` in one namespace is not `web` in another.
 */
export function noReadyBands(risks: readonly BandSource[], svc: { readonly namespace: string; readonly service: string }, now: EpochMs): { start: EpochMs; end: EpochMs }[] {
  return risks.filter((r) => r.rule === "no-ready-endpoints" && r.namespace === svc.namespace && r.service === svc.service).map((r) => ({ start: r.startMs, end: r.endMs ?? now }));
}

/** The chart's y-axis ticks: 0, the middle and the max (three labels fit a 64 px chart without touching). */
export function countTicks(max: number): number[] {
  const top = Math.max(1, Math.ceil(max));
  return top <= 2 ? Array.from({ length: top + 1 }, (_, i) => i) : [0, Math.round(top / 2), top];
}

/**
 * Level of detail for the chart: no more points than its pixels can show. Within one pixel column (of
 * `(w.end - w.start) / pixels` ms) a step area is drawn as a vertical stroke from its lowest to its highest
 * value, so only the points with the lowest and highest `ready` and `ready + servingTerminating` (the two
 * stacked areas' edges) are kept, in time order; the series' first and last points are always kept (the
 * chart's text reads the last). A 10,000-pod rollout has about 20,000 points: the chart library renders each
 * one (about 0.1 ms apiece), on every settled pan, so without this a settled pan cost hundreds of ms.
 * Input: time-ordered points (pointsInWindow's output). With no more points than pixels, the input as is.
 */
export function pointsPerPixel<P extends ServiceCountPoint>(points: readonly P[], w: TimeWindow, pixels: number): P[] {
  const span = w.end - w.start;
  if (!(pixels >= 1) || !(span > 0) || points.length <= pixels) return [...points];
  const msPerPx = span / pixels;
  const total = (k: number) => (points[k] as P).ready + (points[k] as P).servingTerminating;
  const ready = (k: number) => (points[k] as P).ready;
  const out: P[] = [];
  let i = 0;
  while (i < points.length) {
    const col = Math.floor(((points[i] as P).t - w.start) / msPerPx);
    let j = i + 1;
    while (j < points.length && Math.floor(((points[j] as P).t - w.start) / msPerPx) === col) j++;
    let minR = i, maxR = i, minT = i, maxT = i;
    for (let k = i + 1; k < j; k++) {
      if (ready(k) < ready(minR)) minR = k;
      if (ready(k) > ready(maxR)) maxR = k;
      if (total(k) < total(minT)) minT = k;
      if (total(k) > total(maxT)) maxT = k;
    }
    const keep = new Set([minR, maxR, minT, maxT]);
    if (i === 0) keep.add(0);
    if (j === points.length) keep.add(j - 1);
    for (const k of [...keep].sort((a, b) => a - b)) out.push(points[k] as P);
    i = j;
  }
  return out;
}

/**
 * The chart's second level of detail, by height: a point is kept only where its step shows, that is where
 * its `ready` or its stacked total (`ready + servingTerminating`, the two areas' edges) differs from the
 * last kept point's by at least `minStep` counts (what a fraction of a pixel stands for on the y-axis:
 * with 5,000 endpoints on a 56 px plot one count is 0.01 px). The drawn edges then stay within `minStep`
 * of the data everywhere; a point equal to the last kept one is always dropped (a step holds its value,
 * so the picture is the same). The first and last points are kept (the chart's text reads the last).
 * A 10,000-pod rollout's ready count flips between two values every few tens of ms: after
 * pointsPerPixel it still had about 2,000 points, each one chart-library work on every settled pan.
 */
export function dropSubPixelSteps<P extends ServiceCountPoint>(points: readonly P[], minStep: number): P[] {
  const first = points[0];
  if (!first || points.length <= 2) return [...points];
  const out: P[] = [first];
  let keptReady = first.ready;
  let keptTotal = first.ready + first.servingTerminating;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i] as P;
    const total = p.ready + p.servingTerminating;
    const dReady = Math.abs(p.ready - keptReady);
    const dTotal = Math.abs(total - keptTotal);
    if ((dReady === 0 && dTotal === 0) || (dReady < minStep && dTotal < minStep)) continue;
    out.push(p);
    keptReady = p.ready;
    keptTotal = total;
  }
  out.push(points[points.length - 1] as P);
  return out;
}
