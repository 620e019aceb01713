/**
 * The one time↔pixel conversion every drawing uses (style.md habit 7). A scale maps a time window onto
 * a pixel span starting at its origin (the swimlane's gutter width): pixels are canvas x, so callers never
 * add the gutter themselves. Ticks come from a table of nice steps so labels stay round at every zoom level.
 */
import type { DurationMs, EpochMs } from "../model/time";

export interface TimeWindow {
  readonly start: EpochMs;
  readonly end: EpochMs;
}

export interface Tick {
  readonly t: EpochMs;
  readonly px: number;
  /** True on steps that start a larger unit (a new minute when ticking seconds…): draw them stronger. */
  readonly major: boolean;
}

export interface TimeScale {
  readonly window: TimeWindow;
  /** Width of the plot in pixels (from `origin` to `origin + pixels`). */
  readonly pixels: number;
  /** The x of the window start (the plot's left edge: the gutter width). */
  readonly origin: number;
  /** Pixels per millisecond. */
  readonly density: number;
  timeToPx(t: EpochMs): number;
  pxToTime(px: number): EpochMs;
  /** Width in pixels of a duration. */
  durationToPx(d: DurationMs): number;
  /** The step chosen so that labels are at least `minPx` apart. */
  tickStep(minPx: number): DurationMs;
  /**
   * Ticks on `anchor + k·step` (the default 0 puts them on UTC multiples; a zone's negated offset on its
   * local ones; T+0 on multiples from the delete), majors on multiples of the next unit from the anchor.
   */
  ticks(minPx: number, anchor?: EpochMs): Tick[];
}

/** Nice steps, smallest first: 1-2-5 below a second, then clock-friendly steps. */
export const NICE_STEPS_MS: readonly DurationMs[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000, 172_800_000, 604_800_000,
];

/** The smallest nice step ≥ `minMs` (the largest table step when none is). */
export function niceStep(minMs: DurationMs): DurationMs {
  for (const s of NICE_STEPS_MS) if (s >= minMs) return s;
  return NICE_STEPS_MS[NICE_STEPS_MS.length - 1] ?? 1;
}

/** The next larger unit a step groups into, for major ticks. */
function majorOf(step: DurationMs): DurationMs {
  if (step < 1_000) return 1_000;
  if (step < 60_000) return 60_000;
  if (step < 3_600_000) return 3_600_000;
  return 86_400_000;
}

/** `origin` is the x of `window.start` (the gutter width on the swimlane; 0 for a bare plot). */
export function createTimeScale(window: TimeWindow, pixels: number, origin = 0): TimeScale {
  if (!(window.end > window.start)) throw new Error(`time scale needs end > start (got ${window.start}..${window.end})`);
  if (!(pixels > 0)) throw new Error(`time scale needs a positive pixel span (got ${pixels})`);
  const span = window.end - window.start;
  const density = pixels / span;
  const timeToPx = (t: EpochMs) => origin + (t - window.start) * density;
  const pxToTime = (px: number) => window.start + (px - origin) / density;
  const tickStep = (minPx: number) => niceStep(Math.max(1, minPx) / density);
  return {
    window,
    pixels,
    origin,
    density,
    timeToPx,
    pxToTime,
    durationToPx: (d) => d * density,
    tickStep,
    ticks(minPx, anchor = 0) {
      const step = tickStep(minPx);
      const major = majorOf(step);
      const out: Tick[] = [];
      for (let t = anchor + Math.ceil((window.start - anchor) / step) * step; t <= window.end; t += step) {
        out.push({ t, px: timeToPx(t), major: (((t - anchor) % major) + major) % major === 0 });
      }
      return out;
    },
  };
}
