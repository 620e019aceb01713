/**
 * The ruler's risk strip at the level of detail a pixel allows: per severity, the runs of pixel columns
 * any window of that severity covers. A 10,000-pod rollout has 5,000 windows; painting each one (a
 * fillStyle and a fillRect apiece, every frame) cost more than the rest of the ruler. Runs are merged
 * with a difference array, so the cost is one pass over the windows and one over the columns.
 */
import type { EpochMs } from "../model/time";

export interface StripWindow {
  readonly severity: string;
  readonly startMs: EpochMs;
  /** Undefined while open: drawn to `now`. */
  readonly endMs?: EpochMs;
}

/** Painted least severe first, so the worst severity is on top where they overlap. */
export const STRIP_SEVERITIES = ["info", "medium", "high", "critical"] as const;
export type StripSeverity = (typeof STRIP_SEVERITIES)[number];

/** A run of whole pixel columns: [x0, x1). */
export interface StripRun {
  readonly x0: number;
  readonly x1: number;
}

/**
 * `x`: time → canvas px; the strip spans [left, right). Each window covers at least 2 px (as the
 * per-window drawing did) from its start, clipped to the strip. Unknown severities are drawn as "info".
 */
export function riskStripRuns(windows: readonly StripWindow[], x: (t: EpochMs) => number, now: EpochMs, left: number, right: number): ReadonlyMap<StripSeverity, readonly StripRun[]> {
  const cols = Math.max(0, Math.ceil(right - left));
  const diffs = new Map<StripSeverity, Int32Array>();
  for (const w of windows) {
    const x0 = Math.max(left, x(w.startMs));
    const x1 = Math.min(right, Math.max(x0 + 2, x(w.endMs ?? now)));
    if (x1 <= left || x0 >= right) continue;
    const sev: StripSeverity = (STRIP_SEVERITIES as readonly string[]).includes(w.severity) ? (w.severity as StripSeverity) : "info";
    let d = diffs.get(sev);
    if (!d) {
      d = new Int32Array(cols + 1);
      diffs.set(sev, d);
    }
    const c0 = Math.max(0, Math.floor(x0 - left));
    const c1 = Math.min(cols, Math.max(c0 + 1, Math.ceil(x1 - left)));
    d[c0] = (d[c0] ?? 0) + 1;
    d[c1] = (d[c1] ?? 0) - 1;
  }
  const out = new Map<StripSeverity, StripRun[]>();
  for (const sev of STRIP_SEVERITIES) {
    const d = diffs.get(sev);
    if (!d) continue;
    const runs: StripRun[] = [];
    let depth = 0;
    let start = -1;
    for (let c = 0; c <= cols; c++) {
      depth += d[c] ?? 0;
      if (depth > 0 && start < 0) start = c;
      else if (depth <= 0 && start >= 0) {
        runs.push({ x0: left + start, x1: left + c });
        start = -1;
      }
    }
    out.set(sev, runs);
  }
  return out;
}
