/** Zoom and pan of the visible window: pure functions of the window, so keyboard, wheel and drag agree. */
import type { DurationMs, EpochMs } from "../model/time";
import type { TimeWindow } from "./time-scale";

/** Narrowest window: 20 ms (below that, second-precision data is meaningless anyway). */
export const MIN_SPAN_MS: DurationMs = 20;
/** Widest window: the API's 31-day limit. */
export const MAX_SPAN_MS: DurationMs = 31 * 24 * 3600 * 1000;

/** Zoom by `factor` (< 1 zooms in) keeping `anchor` at the same relative position. */
export function zoomWindow(w: TimeWindow, factor: number, anchor: EpochMs = (w.start + w.end) / 2): TimeWindow {
  const span = w.end - w.start;
  const next = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, span * factor));
  const rel = span > 0 ? (anchor - w.start) / span : 0.5;
  const start = anchor - rel * next;
  return { start: Math.round(start), end: Math.round(start + next) };
}

/** Pan by a fraction of the span (positive moves later). */
export function panWindow(w: TimeWindow, fraction: number): TimeWindow {
  return shiftWindow(w, (w.end - w.start) * fraction);
}

export function shiftWindow(w: TimeWindow, byMs: DurationMs): TimeWindow {
  const d = Math.round(byMs);
  return { start: w.start + d, end: w.end + d };
}

/** A window around [start, end] with `marginFraction` of its span on each side (min 1 s of span). */
export function fitWindow(start: EpochMs, end: EpochMs, marginFraction = 0.1): TimeWindow {
  const span = Math.max(1_000, end - start);
  const m = span * marginFraction;
  return { start: Math.round(start - m), end: Math.round(start + span + m) };
}

/**
 * The window to fetch for a visible window: snapped to buckets of the span's order of magnitude and padded
 * by one span each side, so a small pan or zoom reuses the cached fetch (style.md habit 8).
 */
export function fetchWindowFor(w: TimeWindow): TimeWindow {
  const span = w.end - w.start;
  const bucket = Math.pow(10, Math.ceil(Math.log10(Math.max(span, 1))));
  return { start: Math.floor((w.start - span) / bucket) * bucket, end: Math.ceil((w.end + span) / bucket) * bucket };
}

/**
 * The fetch window to use next, given the one in use: keep it while it still covers the visible window
 * and the visible span is at least a thirtieth of it (zooming in further refetches for detail);
 * otherwise snap a new one. Small pans and zooms therefore never refetch the 1,000-pod document
 * (3.5 MB; scale target: zoom/pan frames < 16 ms with 1,000 lanes).
 */
export function nextFetchWindow(prev: TimeWindow | undefined, visible: TimeWindow): TimeWindow {
  if (prev && prev.start <= visible.start && visible.end <= prev.end && (visible.end - visible.start) * 30 >= prev.end - prev.start) return prev;
  return fetchWindowFor(visible);
}

/** What a fetched timeline document holds: its range, where the data in its scope lies, and whether more is coming. */
export interface FetchedCoverage {
  readonly range: { readonly from: EpochMs; readonly to: EpochMs };
  /** Null: no data at all in the scope. */
  readonly dataSpan: { readonly from: EpochMs; readonly to: EpochMs } | null;
  /** A live cluster's data grows past `dataSpan.to`. */
  readonly live: boolean;
}

/**
 * Whether the document already holds everything the visible window can show, so moving the view there
 * needs no refetch: the part of the window that has data (the data span, open-ended while live) lies
 * inside the document's range, and the window is not zoomed in more than the fetch rule's thirtieth of
 * it (nextFetchWindow). A window without any data is not covered: its own fetch says "no data" with the
 * data's span. This is what keeps a pan across the edge of the fetched bucket from refetching and
 * decoding the whole document again (1,000 pods: 1.5 MB; 10,000: 15 MB) when nothing new is there.
 */
export function coversVisible(doc: FetchedCoverage, visible: TimeWindow): boolean {
  const span = doc.dataSpan;
  if (!span) return false;
  if ((visible.end - visible.start) * 30 < doc.range.to - doc.range.from) return false;
  const start = Math.max(visible.start, span.from);
  const end = doc.live ? visible.end : Math.min(visible.end, span.to);
  if (start > end) return false;
  return doc.range.from <= start && end <= doc.range.to;
}
