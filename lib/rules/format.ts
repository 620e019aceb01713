/** Plain-words formatting for explanations: durations in seconds, times as HH:MM:SS.mmm UTC. */
import type { EpochMs } from "../model/time";

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined) return "still open";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function fmtClock(t: EpochMs): string {
  return new Date(t).toISOString().slice(11, 23);
}

export function ceilTo(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
