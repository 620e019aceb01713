/**
 * The one-line progress of a long import: bar, bytes read of the total, lines per second and the time
 * left. Pure (the caller passes the elapsed time), so the CLI and its tests print the same thing.
 */
export interface ProgressFigures {
  readonly bytes: number;
  readonly totalBytes?: number;
  readonly lines: number;
  readonly elapsedMs: number;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

const BAR = 24;

export function progressLine(p: ProgressFigures): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? Math.round(p.lines / secs) : 0;
  const perSec = `${rate.toLocaleString("en-US")} lines/s`;
  if (p.totalBytes === undefined || p.totalBytes <= 0) return `${formatBytes(p.bytes)} read · ${p.lines.toLocaleString("en-US")} lines · ${perSec}`;
  const frac = Math.min(1, p.bytes / p.totalBytes);
  const filled = Math.round(frac * BAR);
  const bar = `[${"#".repeat(filled)}${".".repeat(BAR - filled)}]`;
  const eta = frac > 0 && secs > 0 ? formatDuration(((1 - frac) / frac) * p.elapsedMs) : "…";
  return `${bar} ${String(Math.floor(frac * 100)).padStart(3)}% ${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)} · ${perSec} · ETA ${eta}`;
}
