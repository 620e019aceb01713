/**
 * Text for times and durations. UTC by default (an incident spans people in several time zones); every
 * time formatter takes an IANA zone (the browser's, when the user picks local time) as its last argument.
 * Pure: the zone's offset comes from Intl for the instant being formatted, never from the clock.
 */
import type { DurationMs, EpochMs, Precision } from "../model/time";

export const UTC_ZONE = "UTC";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    } catch {
      f = null; // unknown zone: formatted as UTC
    }
    zoneFormats.set(zone, f);
  }
  return f;
}

/** How far `zone`'s wall clock is ahead of UTC at `t`, in ms (+8 h for Asia/Shanghai; 0 for UTC or an unknown zone). */
export function zoneOffsetMs(t: EpochMs, zone: string = UTC_ZONE): DurationMs {
  if (zone === UTC_ZONE) return 0;
  const f = zoneFormat(zone);
  if (!f) return 0;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(t))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(t / 1000) * 1000;
}

/** "+08:00", "-03:30", "+00:00". */
export function formatOffset(offsetMs: DurationMs): string {
  const m = Math.round(Math.abs(offsetMs) / 60_000);
  return `${offsetMs < 0 ? "-" : "+"}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** "Z" in UTC, else the zone's offset at `t` ("+08:00"). */
export function zoneSuffix(t: EpochMs, zone: string = UTC_ZONE): string {
  return zone === UTC_ZONE ? "Z" : formatOffset(zoneOffsetMs(t, zone));
}

/** "UTC" or "UTC+08:00": the zone a view's times are in, for labels. */
export function zoneLabel(t: EpochMs, zone: string = UTC_ZONE): string {
  return zone === UTC_ZONE ? "UTC" : `UTC${formatOffset(zoneOffsetMs(t, zone))}`;
}

/** "05:41:31.000" in `zone` (UTC by default). */
export function formatClock(t: EpochMs, withMs = true, zone: string = UTC_ZONE): string {
  const d = new Date(t + zoneOffsetMs(t, zone));
  const base = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

/** "2026-11-22" in `zone`. */
export function formatDate(t: EpochMs, zone: string = UTC_ZONE): string {
  const d = new Date(t + zoneOffsetMs(t, zone));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "2026-11-22 05:41:31.000Z"; in another zone "2026-11-22 13:41:31.000+08:00". */
export function formatDateTime(t: EpochMs, zone: string = UTC_ZONE): string {
  return `${formatDate(t, zone)} ${formatClock(t, true, zone)}${zoneSuffix(t, zone)}`;
}

/** A tick label sized to the step: ms shown only when the step is under a second, date when ≥ a day. */
export function formatTick(t: EpochMs, stepMs: DurationMs, zone: string = UTC_ZONE): string {
  if (stepMs >= 86_400_000) return formatDate(t, zone);
  if (stepMs < 1_000) return formatClock(t, true, zone).slice(3);
  return formatClock(t, false, zone);
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

/** "1 pod", "2 pods", "1,000 events": a count with its noun, singular for exactly one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
