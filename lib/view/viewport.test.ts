import { describe, expect, it } from "vitest";
import { coversVisible, fetchWindowFor, fitWindow, MIN_SPAN_MS, nextFetchWindow, panWindow, zoomWindow } from "./viewport";

describe("viewport", () => {
  const w = { start: 10_000, end: 20_000 };

  it("zooms around the centre by default", () => {
    expect(zoomWindow(w, 0.5)).toEqual({ start: 12_500, end: 17_500 });
    expect(zoomWindow(w, 2)).toEqual({ start: 5_000, end: 25_000 });
  });

  it("keeps the anchor at the same relative position", () => {
    // Anchor at 20 % of the span; half the span → 1 000 ms left of it, 4 000 right.
    expect(zoomWindow(w, 0.5, 12_000)).toEqual({ start: 11_000, end: 16_000 });
  });

  it("never zooms below the minimum span", () => {
    const z = zoomWindow({ start: 0, end: 30 }, 0.1);
    expect(z.end - z.start).toBe(MIN_SPAN_MS);
  });

  it("pans by a fraction of the span", () => {
    expect(panWindow(w, 0.1)).toEqual({ start: 11_000, end: 21_000 });
    expect(panWindow(w, -0.25)).toEqual({ start: 7_500, end: 17_500 });
  });

  it("fits with margins", () => {
    expect(fitWindow(10_000, 20_000, 0.1)).toEqual({ start: 9_000, end: 21_000 });
    // A point widens to 1 s.
    expect(fitWindow(5_000, 5_000, 0)).toEqual({ start: 5_000, end: 6_000 });
  });

  it("snaps the fetch window to buckets, so a small pan reuses it", () => {
    // span 10 s → bucket 10 s; padded by one span: 0 .. 30 000.
    expect(fetchWindowFor(w)).toEqual({ start: 0, end: 30_000 });
    expect(fetchWindowFor(panWindow(w, 0.05))).toEqual({ start: 0, end: 40_000 });
    expect(fetchWindowFor({ start: 10_100, end: 19_900 })).toEqual({ start: 0, end: 30_000 });
  });

  it("keeps the fetch window while it covers the view: pans and zooms inside it do not refetch", () => {
    const f = nextFetchWindow(undefined, w);
    expect(f).toEqual({ start: 0, end: 30_000 });
    let v = w;
    for (let i = 0; i < 20; i++) {
      v = panWindow(v, i < 10 ? 0.04 : -0.04);
      expect(nextFetchWindow(f, v)).toBe(f);
    }
    expect(nextFetchWindow(f, zoomWindow(w, 0.5))).toBe(f);
    expect(nextFetchWindow(f, zoomWindow(w, 2))).toBe(f);
  });

  it("refetches when the view leaves the fetch window or zooms far in", () => {
    const f = nextFetchWindow(undefined, w);
    expect(nextFetchWindow(f, panWindow(w, 1.5))).not.toBe(f);
    expect(nextFetchWindow(f, { start: 0, end: 40_000 })).not.toBe(f);
    const deep = nextFetchWindow(f, { start: 15_000, end: 15_500 });
    expect(deep).not.toBe(f);
    expect(deep.end - deep.start).toBeLessThan(5_000);
  });
});

describe("coversVisible", () => {
  // A stored cluster's data from 10,000 to 50,000; the document holds 0–60,000 (all of it).
  const whole = { range: { from: 0, to: 60_000 }, dataSpan: { from: 10_000, to: 50_000 }, live: false };
  it("keeps a document that holds all the data the window can show, wherever the window goes", () => {
    expect(coversVisible(whole, { start: 5_000, end: 15_000 })).toBe(true);
    expect(coversVisible(whole, { start: 45_000, end: 70_000 })).toBe(true); // past the range, but no data there
    expect(coversVisible(whole, { start: -20_000, end: 90_000 })).toBe(true);
  });
  it("refetches when the window reaches data outside the document's range", () => {
    const part = { ...whole, range: { from: 20_000, to: 40_000 } };
    expect(coversVisible(part, { start: 25_000, end: 35_000 })).toBe(true);
    expect(coversVisible(part, { start: 35_000, end: 45_000 })).toBe(false);
    expect(coversVisible(part, { start: 15_000, end: 25_000 })).toBe(false);
    // Past the data's end the window has nothing to fetch, but the data before it is not in the document.
    expect(coversVisible({ ...part, dataSpan: { from: 10_000, to: 38_000 } }, { start: 35_000, end: 45_000 })).toBe(true);
  });
  it("treats a live cluster's data as open-ended", () => {
    const live = { ...whole, live: true };
    expect(coversVisible(live, { start: 45_000, end: 55_000 })).toBe(true);
    expect(coversVisible(live, { start: 55_000, end: 65_000 })).toBe(false);
  });
  it("refetches a window without data (its answer names the data's span) and one zoomed in past a thirtieth", () => {
    expect(coversVisible(whole, { start: 51_000, end: 59_000 })).toBe(false);
    expect(coversVisible({ ...whole, dataSpan: null }, { start: 10_000, end: 20_000 })).toBe(false);
    expect(coversVisible(whole, { start: 20_000, end: 22_000 })).toBe(true);
    expect(coversVisible(whole, { start: 20_000, end: 21_999 })).toBe(false);
  });
});
