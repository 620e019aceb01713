/**
 * What the time axis reads: wall-clock time in a zone (UTC or the browser's), or time relative to the
 * delete ("T+1.5 s", "T−200 ms") the way an SRE talks about a rollout. One object gives the ruler's ticks
 * and labels and the tooltips' stamps, so every place agrees. Pure.
 */
import type { PodLane } from "../engine/types";
import type { DurationMs, EpochMs } from "../model/time";
import { formatClock, formatDate, formatDateTime, formatDuration, formatTick, UTC_ZONE, zoneLabel, zoneOffsetMs } from "./format";
import type { TimeWindow } from "./time-scale";

export type AxisMode = "utc" | "t0";

export interface TimeAxis {
  readonly mode: AxisMode;
  readonly zone: string;
  /** The instant called T+0 (set in "t0" mode only). */
  readonly t0?: EpochMs;
  /** Ticks go on `tickAnchor + k·step`: round local times, or round offsets from T+0. */
  tickAnchor(window: TimeWindow): EpochMs;
  tickLabel(t: EpochMs, step: DurationMs): string;
  /** The ruler's hover readout. */
  pointLabel(t: EpochMs): string;
  /** A full stamp for tooltips: the zone's date-time, and the offset from T+0 when the axis reads relative. */
  stamp(t: EpochMs): string;
  /** Two short lines for the ruler's gutter. */
  gutterLines(window: TimeWindow): readonly [string, string];
}

const MINUS = "−";

/** "T+0", "T+2.00 s", "T−850 ms", "T+1 m 05 s": an offset from T+0 at formatDuration's precision. */
export function formatRelative(dt: DurationMs): string {
  if (dt === 0) return "T+0";
  return `T${dt < 0 ? MINUS : "+"}${formatDuration(Math.abs(dt))}`;
}

const trimZeros = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);

/**
 * A ruler label for a tick `dt` after T+0, `step` apart from its neighbours: only the digits the step
 * needs ("T+1.5 s" at 500 ms steps, "T−200 ms", "T+1 m 30 s", "T+2 h").
 */
export function formatRelativeTick(dt: DurationMs, step: DurationMs): string {
  if (dt === 0) return "T+0";
  const sign = dt < 0 ? MINUS : "+";
  const a = Math.abs(dt);
  let body: string;
  if (a < 1_000) body = `${Math.round(a)} ms`;
  else if (a < 60_000) body = `${trimZeros((a / 1000).toFixed(step >= 1_000 ? 0 : step >= 100 ? 1 : step >= 10 ? 2 : 3))} s`;
  else if (a < 3_600_000) {
    const m = Math.floor(a / 60_000);
    const s = Math.round((a % 60_000) / 1000);
    body = s === 0 ? `${m} m` : `${m} m ${String(s).padStart(2, "0")} s`;
  } else if (a < 86_400_000) {
    const h = Math.floor(a / 3_600_000);
    const m = Math.round((a % 3_600_000) / 60_000);
    body = m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")} m`;
  } else {
    const d = Math.floor(a / 86_400_000);
    const h = Math.round((a % 86_400_000) / 3_600_000);
    body = h === 0 ? `${d} d` : `${d} d ${h} h`;
  }
  return `T${sign}${body}`;
}

/**
 * T+0 of a view: the episode's first deletion request in an episode view, else the selected pod's
 * deletion; undefined when there is none (the relative axis is then unavailable).
 */
export function relativeZero(lanes: readonly PodLane[], inEpisode: boolean, selectedPod: string | undefined): EpochMs | undefined {
  if (inEpisode) {
    let first: EpochMs | undefined;
    for (const l of lanes) {
      const at = l.keyTimes.deleteRequested?.at;
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
    if (first !== undefined) return first;
  }
  if (selectedPod === undefined) return undefined;
  return lanes.find((l) => l.uid === selectedPod)?.keyTimes.deleteRequested?.at;
}

export function createTimeAxis(mode: AxisMode, zone: string = UTC_ZONE, t0?: EpochMs): TimeAxis {
  if (mode === "t0" && t0 !== undefined) {
    return {
      mode,
      zone,
      t0,
      tickAnchor: () => t0,
      tickLabel: (t, step) => formatRelativeTick(t - t0, step),
      pointLabel: (t) => formatRelative(Math.round(t - t0)),
      stamp: (t) => `${formatDateTime(t, zone)} · ${formatRelative(Math.round(t - t0))}`,
      gutterLines: (w) => [`T+0 = ${formatClock(t0, true, zone)} ${zoneLabel(t0, zone)}`, `span ${formatDuration(w.end - w.start)}`],
    };
  }
  return {
    mode: "utc",
    zone,
    // Local midnights and hours: in a zone at +05:30, hourly ticks fall on the local hour.
    tickAnchor: (w) => -zoneOffsetMs(w.start, zone),
    tickLabel: (t, step) => formatTick(t, step, zone),
    pointLabel: (t) => formatClock(t, true, zone),
    stamp: (t) => formatDateTime(t, zone),
    gutterLines: (w) => [`${formatDate(w.start, zone)} ${zoneLabel(w.start, zone)}`, `span ${formatDuration(w.end - w.start)}`],
  };
}
