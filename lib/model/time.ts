/**
 * Time values. Everything Drainscope knows about "when" is an estimate with an uncertainty range and
 * the clock it was read from, because Kubernetes stamps most times to the second on different clocks.
 */

/** Milliseconds since the Unix epoch. */
export type EpochMs = number;
/** A length of time in milliseconds. */
export type DurationMs = number;

export type Clock = "apiserver" | "node" | "controller" | "watcher";

/**
 * How a time was obtained:
 * - `exact`: read from a millisecond (or better) source (watcher receive time, µs eventTime, in-pod report);
 * - `second`: a whole-second stamp; the truth lies in [at, at + 999];
 * - `estimated`: derived from other times by a known rule (e.g. Killing + preStop sleep);
 * - `inferred`: placed by interpolation or absence (relist, resourceVersion order); the bounds are soft.
 */
export type Precision = "exact" | "second" | "estimated" | "inferred";

export interface TimeEstimate {
  /** Best estimate. For whole-second stamps this is the stamp itself (what kubectl shows). */
  readonly at: EpochMs;
  /** Interval the true time lies in, inclusive: lo <= at <= hi. */
  readonly range: readonly [EpochMs, EpochMs];
  readonly clock: Clock;
  readonly precision: Precision;
}

export const SECOND_MS = 1000;

export function exactTime(at: EpochMs, clock: Clock): TimeEstimate {
  return { at, range: [at, at], clock, precision: "exact" };
}

/** A whole-second stamp: the event happened somewhere in [t, t + 999 ms]. */
export function secondTime(at: EpochMs, clock: Clock): TimeEstimate {
  return { at, range: [at, at + SECOND_MS - 1], clock, precision: "second" };
}

export function rangeTime(lo: EpochMs, hi: EpochMs, clock: Clock, precision: Precision, at: EpochMs = lo): TimeEstimate {
  const high = Math.max(lo, hi);
  return { at: Math.min(Math.max(at, lo), high), range: [lo, high], clock, precision };
}

/** Shift an estimate by a fixed duration (e.g. Killing + preStop sleep). */
export function shiftTime(t: TimeEstimate, byMs: DurationMs, precision: Precision = t.precision): TimeEstimate {
  return { at: t.at + byMs, range: [t.range[0] + byMs, t.range[1] + byMs], clock: t.clock, precision };
}

/** Narrow an estimate's upper bound (e.g. a request must precede the moment we received it). */
export function capTime(t: TimeEstimate, hi: EpochMs): TimeEstimate {
  if (hi >= t.range[1]) return t;
  const top = Math.max(hi, t.range[0]);
  return { ...t, at: Math.min(t.at, top), range: [t.range[0], top] };
}

/** Parse an RFC 3339 / ISO 8601 timestamp; undefined when absent or invalid. */
export function parseTimestamp(value: string | null | undefined): EpochMs | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isUncertain(t: TimeEstimate): boolean {
  return t.precision === "estimated" || t.precision === "inferred";
}

export function formatIso(ms: EpochMs): string {
  return new Date(ms).toISOString();
}
