/** Text for times and durations, always UTC (an incident spans people in several time zones). */
import type { DurationMs, EpochMs, Precision } from "../model/time";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "05:41:31.000" (UTC). */
export function formatClock(t: EpochMs, withMs = true): string {
  const d = new Date(t);
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

/** "2026-11-22 05:41:31.000Z". */
export function formatDateTime(t: EpochMs): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatClock(t)}Z`;
}

/** A tick label sized to the step: ms shown only when the step is under a second, date when ≥ a day. */
export function formatTick(t: EpochMs, stepMs: DurationMs): string {
  if (stepMs >= 86_400_000) return formatDateTime(t).slice(0, 10);
  if (stepMs < 1_000) return formatClock(t, true).slice(3);
  return formatClock(t, false);
}

/** "850 ms", "2.00 s", "1 m 05 s", "2 h 03 m". */
export function formatDuration(ms: DurationMs): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? "−" : "";
  if (a < 1_000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 2 : 1)} s`;
  if (a < 3_600_000) return `${sign}${Math.floor(a / 60_000)} m ${pad(Math.floor((a % 60_000) / 1000))} s`;
  return `${sign}${Math.floor(a / 3_600_000)} h ${pad(Math.floor((a % 3_600_000) / 60_000))} m`;
}

export function describePrecision(p: Precision, range: readonly [EpochMs, EpochMs]): string {
  const width = range[1] - range[0];
  switch (p) {
    case "exact":
      return "exact (ms clock)";
    case "second":
      return `whole-second stamp: true time within +${formatDuration(width)}`;
    case "estimated":
      return `estimated from other times: within ${formatDuration(width)}`;
    case "inferred":
      return `inferred (soft bounds): within ${formatDuration(width)}`;
  }
}
