import { describe, expect, it } from "vitest";
import { createTimeScale, niceStep } from "./time-scale";

describe("createTimeScale", () => {
  // 10 s over 1000 px: 0.1 px per ms, 100 px per second (computed by hand).
  const s = createTimeScale({ start: 1_000_000, end: 1_010_000 }, 1000);

  it("maps the window ends to 0 and the pixel span", () => {
    expect(s.timeToPx(1_000_000)).toBe(0);
    expect(s.timeToPx(1_010_000)).toBe(1000);
    expect(s.timeToPx(1_002_500)).toBe(250);
    expect(s.density).toBeCloseTo(0.1, 12);
  });

  it("maps outside the window linearly (callers cull)", () => {
    expect(s.timeToPx(999_000)).toBe(-100);
    expect(s.timeToPx(1_020_000)).toBe(2000);
  });

  it("inverts timeToPx", () => {
    expect(s.pxToTime(0)).toBe(1_000_000);
    expect(s.pxToTime(333)).toBe(1_003_330);
    expect(s.pxToTime(s.timeToPx(1_007_777))).toBeCloseTo(1_007_777, 6);
  });

  it("converts durations", () => {
    expect(s.durationToPx(2_000)).toBe(200);
  });

  it("picks the smallest nice step that keeps labels apart", () => {
    // 80 px at 0.1 px/ms is 800 ms: the next nice step is 1 s.
    expect(s.tickStep(80)).toBe(1_000);
    // 150 px is 1.5 s: next nice step 2 s.
    expect(s.tickStep(150)).toBe(2_000);
  });

  it("places ticks on multiples of the step, marking minute starts as major", () => {
    // Window 59 s .. 62 s, 300 px: 100 px/s, 80 px min → 1 s step.
    const t = createTimeScale({ start: 59_000, end: 62_000 }, 300).ticks(80);
    expect(t.map((x) => x.t)).toEqual([59_000, 60_000, 61_000, 62_000]);
    expect(t.map((x) => x.px)).toEqual([0, 100, 200, 300]);
    expect(t.map((x) => x.major)).toEqual([false, true, false, false]);
  });

  it("starts ticks at the first multiple inside the window", () => {
    const t = createTimeScale({ start: 1_250, end: 3_900 }, 265).ticks(50);
    // 0.1 px/ms; 50 px = 500 ms → step 500.
    expect(t.map((x) => x.t)).toEqual([1_500, 2_000, 2_500, 3_000, 3_500]);
    expect(t[0]?.px).toBe(25);
  });

  it("owns the gutter: with an origin, pixels are canvas x and ticks include it", () => {
    // Same 10 s over 1000 px, drawn right of a 230 px gutter.
    const g = createTimeScale({ start: 1_000_000, end: 1_010_000 }, 1000, 230);
    expect(g.origin).toBe(230);
    expect(g.timeToPx(1_000_000)).toBe(230);
    expect(g.timeToPx(1_010_000)).toBe(1230);
    expect(g.pxToTime(230)).toBe(1_000_000);
    expect(g.pxToTime(480)).toBe(1_002_500);
    expect(g.pxToTime(0)).toBe(997_700); // left of the plot: before the window (callers clamp)
    expect(g.durationToPx(2_000)).toBe(200); // durations do not move
    expect(g.ticks(150).map((x) => x.px)).toEqual([230, 430, 630, 830, 1030, 1230]);
  });

  it("refuses empty windows and pixel spans", () => {
    expect(() => createTimeScale({ start: 5, end: 5 }, 100)).toThrow();
    expect(() => createTimeScale({ start: 0, end: 5 }, 0)).toThrow();
  });
});

describe("niceStep", () => {
  it("rounds up to the table", () => {
    expect(niceStep(0.3)).toBe(1);
    expect(niceStep(3)).toBe(5);
    expect(niceStep(1_001)).toBe(2_000);
    expect(niceStep(45_000)).toBe(60_000);
    expect(niceStep(1e12)).toBe(604_800_000);
  });
});
