import { describe, expect, it } from "vitest";
import { windowDurationText, windowsOfPod } from "./window-text";

const T0 = Date.UTC(2026, 10, 22, 5, 41, 31);

describe("windowDurationText", () => {
  it("a closed window reads its length", () => {
    expect(windowDurationText({ startMs: T0, endMs: T0 + 7_000 }, T0 + 60_000, true)).toBe("7.00 s");
  });
  it("an open live window reads 'so far' to now", () => {
    expect(windowDurationText({ startMs: T0 }, T0 + 23_100, true)).toBe("open, 23.1 s so far");
  });
  it("an open window of stored data is a lower bound at the data's end", () => {
    expect(windowDurationText({ startMs: T0 }, T0 + 2_500, false)).toBe("open when the data ends, ≥ 2.50 s");
  });
});

describe("windowsOfPod", () => {
  it("keeps only the windows naming the pod, in order", () => {
    const ws = [
      { id: "a", podUids: ["u1", "u2"] },
      { id: "b", podUids: ["u2"] },
      { id: "c", podUids: [] },
    ];
    expect(windowsOfPod(ws, "u2").map((w) => w.id)).toEqual(["a", "b"]);
    expect(windowsOfPod(ws, "u3")).toEqual([]);
  });
});
