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

/** `n` decimal digits of `s` from `at`, or -1 when one is not a digit. */
function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the shape Kubernetes writes almost every time in, read without Date.parse's
 * general parser (one call per timestamp of every object version). Only values whose meaning is plain are
 * taken here (day ≤ 28, hour ≤ 23, year ≥ 100); anything else, valid or not, goes to Date.parse as before.
 */
function parseWholeSecondUtc(v: string): number | undefined {
  if (v.length !== 20 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return undefined;
  const y = digitsAt(v, 0, 4);
  const mo = digitsAt(v, 5, 2);
  const d = digitsAt(v, 8, 2);
  const h = digitsAt(v, 11, 2);
  const mi = digitsAt(v, 14, 2);
  const s = digitsAt(v, 17, 2);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Parse an RFC 3339 / ISO 8601 timestamp; undefined when absent or invalid. */
export function parseTimestamp(value: string | null | undefined): EpochMs | undefined {
  if (!value) return undefined;
  const fast = parseWholeSecondUtc(value);
  if (fast !== undefined) return fast;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isUncertain(t: TimeEstimate): boolean {
  return t.precision === "estimated" || t.precision === "inferred";
}

export function formatIso(ms: EpochMs): string {
  return new Date(ms).toISOString();
}
