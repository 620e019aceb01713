/**
 * Which times Drainscope accepts, in one place. Observations from outside (ingest, imports, bundles)
 * must fall between 2000-01-01 and 2100-01-01; ingest must also not be more than a few minutes ahead of
 * the server's clock (a pod's clock may run a little fast, not days). Ranges must not be inverted.
 * A time outside JavaScript's Date range would otherwise be stored and crash every page that formats it.
 */
import type { EpochMs } from "./time";

export const EARLIEST_TIME: EpochMs = Date.UTC(2000, 0, 1);
export const LATEST_TIME: EpochMs = Date.UTC(2100, 0, 1);
/** How far ahead of the server's clock an ingested time may be. */
export const INGEST_FUTURE_MS = 5 * 60_000;
/** Durations in seconds (grace periods, preStop sleeps): at most ten years, never negative. */
export const MAX_DURATION_SECONDS = 10 * 365 * 24 * 3600;

const show = (v: unknown): string => (typeof v === "number" ? String(v) : JSON.stringify(v) ?? String(v));

/**
 * "VALUE is not a valid time (why)", or undefined. With `now`, a time more than `futureMs` after it is
 * refused too (ingest only: recordings and bundles describe the past on other clocks).
 */
export function timeProblem(value: unknown, opts: { readonly now?: EpochMs; readonly futureMs?: number } = {}): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return `${show(value)} is not a valid time (not a finite number of epoch milliseconds)`;
  if (value < EARLIEST_TIME) return `${show(value)} is not a valid time (before 2000-01-01)`;
  if (value >= LATEST_TIME) return `${show(value)} is not a valid time (after 2100-01-01)`;
  if (opts.now !== undefined && value > opts.now + (opts.futureMs ?? INGEST_FUTURE_MS)) {
    const minutes = Math.round((opts.futureMs ?? INGEST_FUTURE_MS) / 60_000);
    return `${show(value)} is not a valid time (more than ${minutes} minutes after the server's clock, ${new Date(opts.now).toISOString()})`;
  }
  return undefined;
}

export function durationSecondsProblem(value: unknown): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_DURATION_SECONDS) {
    return `${show(value)} is not a valid duration (0 to ${MAX_DURATION_SECONDS} seconds)`;
  }
  return undefined;
}

/** "[a, b] is inverted (…)" when a range starts after it ends. */
export function rangeProblem(lo: number, hi: number, loName = "range[0]", hiName = "range[1]"): string | undefined {
  return lo > hi ? `[${lo}, ${hi}] is inverted (${loName} is after ${hiName})` : undefined;
}

/**
 * Times that are safe to draw and format: finite and well inside Date's range, with room for adding
 * durations. The store's readers skip rows outside it (rows an older Drainscope may have accepted)
 * instead of crashing a page.
 */
export const DISPLAYABLE_LIMIT_MS = 4e15;
export const isDisplayableTime = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= DISPLAYABLE_LIMIT_MS;
