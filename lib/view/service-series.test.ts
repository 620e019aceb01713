import { describe, expect, it } from "vitest";
import { countTicks, noReadyBands, pointsInWindow } from "./service-series";

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
