import { describe, expect, it } from "vitest";
import { countTicks, dropSubPixelSteps, noReadyBands, pointsInWindow, pointsPerPixel } from "./service-series";

const pt = (t: number, ready: number, st = 0) => ({ t, ready, servingTerminating: st, notServing: 0 });

describe("pointsInWindow", () => {
  const pts = [pt(0, 1), pt(10, 2), pt(20, 3), pt(30, 0)];
  it("carries the value in force at the window start and extends the last to the end", () => {
    expect(pointsInWindow(pts, { start: 15, end: 25 })).toEqual([pt(15, 2), pt(20, 3), pt(25, 3)]);
  });
  it("keeps exact boundary points", () => {
    expect(pointsInWindow(pts, { start: 10, end: 30 })).toEqual([pt(10, 2), pt(20, 3), pt(30, 0)]);
  });
  it("stops the last value at the data's clock, as the lanes stop at the dashed line", () => {
    // As in probe-restart: the data ends (33) before the window does (48); past 33 the chart draws nothing.
    expect(pointsInWindow(pts, { start: 15, end: 48 }, 33)).toEqual([pt(15, 2), pt(20, 3), pt(30, 0), pt(33, 0)]);
    expect(pointsInWindow(pts, { start: 15, end: 25 }, 100)).toEqual([pt(15, 2), pt(20, 3), pt(25, 3)]);
  });
  it("is empty before any data", () => {
    expect(pointsInWindow(pts, { start: -10, end: -5 })).toEqual([]);
  });
});

describe("noReadyBands", () => {
  const w = (namespace: string, service: string | null, startMs: number, endMs?: number, rule = "no-ready-endpoints") => ({ rule, namespace, service, startMs, ...(endMs !== undefined ? { endMs } : {}) });
  const risks = [w("scale-to-zero", "web", 100, 200), w("clean-rollout", "web", 300), w("clean-rollout", "api", 400, 500), w("clean-rollout", "web", 50, 60, "dead-but-routed")];
  it("matches a Service by namespace and name, not name alone", () => {
    expect(noReadyBands(risks, { namespace: "clean-rollout", service: "web" }, 1_000)).toEqual([{ start: 300, end: 1_000 }]);
    expect(noReadyBands(risks, { namespace: "scale-to-zero", service: "web" }, 1_000)).toEqual([{ start: 100, end: 200 }]);
    expect(noReadyBands(risks, { namespace: "other", service: "web" }, 1_000)).toEqual([]);
  });
});

describe("countTicks", () => {
  it("0, the middle and the max", () => {
    expect(countTicks(0)).toEqual([0, 1]);
    expect(countTicks(2)).toEqual([0, 1, 2]);
    expect(countTicks(3)).toEqual([0, 2, 3]);
    expect(countTicks(1_000)).toEqual([0, 500, 1_000]);
  });
});

describe("pointsPerPixel", () => {
  it("keeps the extremes of both stacked edges per pixel column, in time order, and the series' ends", () => {
    // Window 0–100 over 2 pixels: columns [0, 50) and [50, 100].
    const col1 = [pt(0, 5), pt(5, 6), pt(10, 9), pt(15, 4, 1), pt(20, 2, 8), pt(25, 1, 2), pt(30, 3), pt(49, 4)];
    const col2 = [pt(50, 4), pt(60, 7), pt(70, 5)];
    expect(pointsPerPixel([...col1, ...col2], { start: 0, end: 100 }, 2)).toEqual([
      pt(0, 5), // the series' first
      pt(10, 9), // most ready
      pt(20, 2, 8), // highest ready + terminating
      pt(25, 1, 2), // least ready and lowest top edge
      pt(50, 4), // least ready in the second column
      pt(60, 7), // most ready
      pt(70, 5), // the series' last (the chart's text reads it)
    ]);
  });
  it("returns the input when there are no more points than pixels", () => {
    const pts = [pt(0, 1), pt(10, 2), pt(20, 3), pt(30, 0)];
    expect(pointsPerPixel(pts, { start: 0, end: 100 }, 4)).toEqual(pts);
  });
  it("bounds 40,000 points to at most four per pixel and keeps every column's range", () => {
    const pts = Array.from({ length: 40_000 }, (_, i) => pt(i, i % 7, i % 3));
    const out = pointsPerPixel(pts, { start: 0, end: 40_000 }, 1000);
    expect(out.length).toBeLessThanOrEqual(4 * 1000);
    expect(out[0]).toEqual(pts[0]);
    expect(out[out.length - 1]).toEqual(pts[pts.length - 1]);
    const col = (c: number) => out.filter((p) => Math.floor(p.t / 40) === c);
    expect(Math.min(...col(3).map((p) => p.ready))).toBe(0);
    expect(Math.max(...col(3).map((p) => p.ready + p.servingTerminating))).toBe(8);
  });
});

describe("dropSubPixelSteps", () => {
  it("keeps a point only where ready or the stacked total moved by at least minStep from the last kept one", () => {
    const pts = [pt(0, 100), pt(1, 101), pt(2, 100, 1), pt(3, 102), pt(4, 103), pt(5, 103, 3), pt(6, 90), pt(7, 91), pt(8, 91)];
    expect(dropSubPixelSteps(pts, 3)).toEqual([
      pt(0, 100), // the first
      pt(4, 103), // ready 3 above the kept 100 (101, 100+1 and 102 are within 3)
      pt(5, 103, 3), // total 106: 3 above the kept 103
      pt(6, 90), // a dip is kept
      pt(8, 91), // the last (7 is within 3 of 90)
    ]);
  });
  it("drops only repeats of the kept values when one count is at least minStep (the same picture)", () => {
    const pts = [pt(0, 5), pt(1, 5), pt(2, 6), pt(3, 6, 0), pt(4, 6, 1), pt(5, 5, 1), pt(6, 5, 1)];
    expect(dropSubPixelSteps(pts, 1)).toEqual([pt(0, 5), pt(2, 6), pt(4, 6, 1), pt(5, 5, 1), pt(6, 5, 1)]);
    expect(dropSubPixelSteps(pts, 0.25)).toEqual(dropSubPixelSteps(pts, 1));
  });
  it("returns short series as they are", () => {
    expect(dropSubPixelSteps([], 5)).toEqual([]);
    expect(dropSubPixelSteps([pt(0, 1), pt(1, 1)], 5)).toEqual([pt(0, 1), pt(1, 1)]);
  });
  it("keeps every drawn edge within minStep of the data (a 10,000-pod rollout's flipping count)", () => {
    const pts = Array.from({ length: 2_000 }, (_, i) => pt(i, 5_000 + (i % 2) - Math.floor(i / 400), i % 3 === 0 ? 1 : 0));
    const out = dropSubPixelSteps(pts, 2.5);
    expect(out).toEqual([pt(0, 5_000, 1), pt(800, 4_998), pt(1_999, 4_997)]);
    let k = 0;
    for (const p of pts) {
      while (k + 1 < out.length && (out[k + 1] as (typeof out)[number]).t <= p.t) k++;
      const drawn = out[k] as (typeof out)[number];
      expect(Math.abs(drawn.ready - p.ready)).toBeLessThan(2.5);
      expect(Math.abs(drawn.ready + drawn.servingTerminating - p.ready - p.servingTerminating)).toBeLessThan(2.5);
    }
  });
});
