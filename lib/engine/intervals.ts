/** Small interval algebra on possibly-open intervals (end undefined = open). */
import type { EpochMs } from "../model/time";
import type { Interval } from "./types";

const endOf = (i: Interval): number => i.end ?? Number.POSITIVE_INFINITY;

/** Merge overlapping or touching intervals. */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= endOf(last)) {
      const end = Math.max(endOf(last), endOf(i));
      out[out.length - 1] = end === Number.POSITIVE_INFINITY ? { start: last.start } : { start: last.start, end };
    } else {
      out.push(i.end === undefined ? { start: i.start } : { start: i.start, end: i.end });
    }
  }
  return out;
}

/** The parts of `intervals` at or after `from`. */
export function clipFrom(intervals: readonly Interval[], from: EpochMs): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    if (endOf(i) <= from) continue;
    const start = Math.max(i.start, from);
    out.push(i.end === undefined ? { start } : { start, end: i.end });
  }
  return out;
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < endOf(b) && b.start < endOf(a);
}

export function contains(i: Interval, t: EpochMs): boolean {
  return i.start <= t && t < endOf(i);
}

export function durationOf(i: Interval): number | undefined {
  return i.end === undefined ? undefined : i.end - i.start;
}
