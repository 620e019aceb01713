import { describe, expect, it } from "vitest";
import { windowDurationText, windowPodsText, windowsOfPod } from "./window-text";

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

describe("windowPodsText", () => {
  // keepalive-503: the service-wide windows name the deleted pod and its not-yet-ready replacement, but
  // the episode view has a lane only for the deleted one.
  const w = { pods: ["app-6f46fd4d7-szbng", "app-6f46fd4d7-g5mdj"], podUids: ["u-szbng", "u-g5mdj"] };
  const lanes = new Set(["u-szbng"]);
  it("names the pod outside the view so the count never faces fewer lanes unexplained", () => {
    expect(windowPodsText(w, (u) => lanes.has(u))).toBe("2 pods (app-6f46fd4d7-g5mdj not in this view)");
    expect(windowPodsText(w, () => true)).toBe("2 pods");
    expect(windowPodsText(w)).toBe("2 pods");
    expect(windowPodsText(w, () => false)).toBe("2 pods (none in this view)");
  });
  it("prints one pod by name, a count of the outside ones past one, nothing for a service window", () => {
    expect(windowPodsText({ pods: ["a"], podUids: ["ua"] }, () => true)).toBe("a");
    expect(windowPodsText({ pods: ["a"], podUids: ["ua"] }, () => false)).toBe("a (not in this view)");
    expect(windowPodsText({ pods: ["a", "b", "c"], podUids: ["ua", "ub", "uc"] }, (u) => u === "ua")).toBe("3 pods (2 pods not in this view)");
    expect(windowPodsText({ pods: [], podUids: [] }, () => true)).toBeUndefined();
  });
});
