import { describe, expect, it } from "vitest";
import { riskStripRuns } from "./risk-strip";

const x = (t: number) => t; // 1 ms per px

describe("riskStripRuns", () => {
  it("merges overlapping and touching windows of a severity into whole-pixel runs, clipped to the strip", () => {
    const runs = riskStripRuns(
      [
        { severity: "high", startMs: 10.4, endMs: 20.2 },
        { severity: "high", startMs: 15, endMs: 30 },
        { severity: "high", startMs: 30, endMs: 35 }, // touches the run before: one run
        { severity: "high", startMs: 50, endMs: 50 }, // a point: 2 px
        { severity: "critical", startMs: 90, endMs: 400 }, // past the right edge
        { severity: "medium", startMs: -50, endMs: 5 }, // before the left edge
      ],
      x,
      1000,
      0,
      100,
    );
    expect([...runs.keys()]).toEqual(["medium", "high", "critical"]);
    expect(runs.get("high")).toEqual([{ x0: 10, x1: 35 }, { x0: 50, x1: 52 }]);
    expect(runs.get("critical")).toEqual([{ x0: 90, x1: 100 }]);
    expect(runs.get("medium")).toEqual([{ x0: 0, x1: 5 }]);
  });
  it("draws an open window to now, skips windows outside, and files unknown severities as info", () => {
    const runs = riskStripRuns(
      [
        { severity: "critical", startMs: 40 },
        { severity: "low?", startMs: 5, endMs: 8 },
        { severity: "high", startMs: 200, endMs: 300 },
      ],
      x,
      60,
      0,
      100,
    );
    expect(runs.get("critical")).toEqual([{ x0: 40, x1: 60 }]);
    expect(runs.get("info")).toEqual([{ x0: 5, x1: 8 }]);
    expect(runs.has("high")).toBe(false);
  });
  it("bounds 5,000 windows to runs no more numerous than the columns", () => {
    const ws = Array.from({ length: 5000 }, (_, i) => ({ severity: i % 2 ? "high" : "critical", startMs: i / 5, endMs: i / 5 + 1 }));
    const runs = riskStripRuns(ws, x, 0, 0, 1000);
    expect(runs.get("high")).toEqual([{ x0: 0, x1: 1000 }]);
    expect(runs.get("critical")).toEqual([{ x0: 0, x1: 1000 }]);
  });
});
