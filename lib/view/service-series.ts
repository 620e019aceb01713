/** Service endpoint counts for the chart: the slice of points a time window needs. */
import type { ServiceCountPoint } from "../engine/types";
import type { TimeWindow } from "./time-scale";

/**
 * Points inside `w`, plus the last one before it (a step series holds its value until the next point)
 * and a copy of the last value at `w.end` so the step reaches the right edge.
 */
export function pointsInWindow(points: readonly ServiceCountPoint[], w: TimeWindow): ServiceCountPoint[] {
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
  const last = out[out.length - 1];
  if (last && last.t < w.end) out.push({ ...last, t: w.end });
  return out;
}
