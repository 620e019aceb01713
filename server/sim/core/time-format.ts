/**
 * Timestamp formats as the Kubernetes API writes them: RFC 3339 to the second for metav1.Time
 * (creationTimestamp, deletionTimestamp, lastTransitionTime, startedAt…), to the microsecond for
 * metav1.MicroTime (eventTime), and ISO with milliseconds for Drainscope's own `observedAt`.
 */
import type { EpochMs } from "./clock";

/** metav1.Time: whole seconds, truncated (Go drops the fraction when it serialises). */
export function k8sTime(ms: EpochMs): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** metav1.MicroTime: six fractional digits. */
export function k8sMicroTime(ms: EpochMs): string {
  const totalMicros = Math.floor(ms * 1000);
  const seconds = Math.floor(totalMicros / 1_000_000);
  const micros = totalMicros - seconds * 1_000_000;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(micros).padStart(6, "0")}Z`;
}

/** RFC 3339 with milliseconds, for observedAt. */
export function isoMillis(ms: EpochMs): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Whole seconds since the epoch, as Kubernetes stores metav1.Time. */
export function floorSecond(ms: EpochMs): EpochMs {
  return Math.floor(ms / 1000) * 1000;
}

/** Kubernetes' short human duration ("5s", "3m2s", "2d4h"), as kubectl's AGE column shows it. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return `${d}d`;
}
