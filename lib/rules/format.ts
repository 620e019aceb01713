/** Plain-words formatting for explanations: durations in seconds. */

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined) return "still open";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** "for 3.0 s", or for a window that has not ended "so far (still open)": reads right after a verb. */
export function fmtFor(ms: number | undefined): string {
  return ms === undefined ? "so far (still open)" : `for ${fmtDuration(ms)}`;
}

export function ceilTo(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
