import { describe, expect, it } from "vitest";
import type { AnalysisWindow } from "../report/analysis-json";
import { toViewWindows } from "./timeline-doc";

const w = (id: string, start: string, end: string | null, severity = "high") => ({ id, start, end, severity, rule: "r", podUids: [] }) as unknown as AnalysisWindow;

describe("toViewWindows", () => {
  const ws = [w("b", "2026-01-01T00:00:10Z", null), w("a", "2026-01-01T00:00:05Z", "2026-01-01T00:00:06Z", "critical"), w("bad", "nope", null)];

  it("parses times, drops bad rows, sorts by severity then start", () => {
    const v = toViewWindows(ws);
    expect(v.map((x) => x.id)).toEqual(["a", "b"]);
    expect(v[0]?.endMs).toBe(Date.parse("2026-01-01T00:00:06Z"));
    expect(v[1]?.endMs).toBeUndefined();
  });

  it("does not draw a window that starts after the document's now (a forecast, live)", () => {
    expect(toViewWindows(ws, Date.parse("2026-01-01T00:00:08Z")).map((x) => x.id)).toEqual(["a"]);
  });
});
