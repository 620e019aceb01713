import { describe, expect, it } from "vitest";
import { pointsInWindow } from "./service-series";

const pt = (t: number, ready: number, st = 0) => ({ t, ready, servingTerminating: st, notServing: 0 });

describe("pointsInWindow", () => {
  const pts = [pt(0, 1), pt(10, 2), pt(20, 3), pt(30, 0)];
  it("carries the value in force at the window start and extends the last to the end", () => {
    expect(pointsInWindow(pts, { start: 15, end: 25 })).toEqual([pt(15, 2), pt(20, 3), pt(25, 3)]);
  });
  it("keeps exact boundary points", () => {
    expect(pointsInWindow(pts, { start: 10, end: 30 })).toEqual([pt(10, 2), pt(20, 3), pt(30, 0)]);
  });
  it("is empty before any data", () => {
    expect(pointsInWindow(pts, { start: -10, end: -5 })).toEqual([]);
  });
});
