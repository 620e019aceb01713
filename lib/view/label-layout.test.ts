import { describe, expect, it } from "vitest";
import type { PodLane } from "../engine/types";
import { hitTest } from "./hit-test";
import { layoutLanes } from "./lane-layout";
import { createTimeScale } from "./time-scale";
import { bandSpans, clusterMarkers, inside, layoutLaneText, overlaps, windowsInView, type Box } from "./label-layout";
import type { Marker } from "./markers";

const T0 = Date.UTC(2026, 10, 22, 6, 0, 0);
const est = (at: number) => ({ at, range: [at, at] as const, clock: "apiserver" as const, precision: "exact" as const });

function lane(uid: string, del: number): PodLane {
  return {
    uid,
    name: `web-${uid}`,
    namespace: "shop",
    workload: "web",
    workloadKind: "Deployment",
    revision: "1",
    phases: [{ kind: "serving", start: T0, end: del }],
    keyTimes: {
      killedBySigkill: false,
      killedAtDeadline: false,
      deleteRequested: { ...est(del), graceSeconds: 30, force: false, eventId: `d-${uid}` },
      removed: { ...est(del + 8_000), via: "watch" },
    },
    endpoints: [],
    lbMembers: [],
    restarts: [],
    services: ["web"],
  } as unknown as PodLane;
}

const measure = (t: string) => t.length * 6;
const W = 1230;
const H = 500;
/** 1 px per 10 ms from T0, after a 230 px gutter. */
const x = (t: number) => 230 + (t - T0) / 10;
const plot: Box = { x: 230, y: 0, w: W - 230, h: H };

describe("overlaps / inside", () => {
  it("touching edges do not overlap; a box sticking out is not inside", () => {
    expect(overlaps({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(false);
    expect(overlaps({ x: 0, y: 0, w: 10, h: 10 }, { x: 9, y: 9, w: 5, h: 5 })).toBe(true);
    expect(inside({ x: 5, y: 5, w: 10, h: 10 }, { x: 0, y: 0, w: 15, h: 15 })).toBe(true);
    expect(inside({ x: 5, y: 5, w: 11, h: 10 }, { x: 0, y: 0, w: 15, h: 15 })).toBe(false);
  });
});

describe("clusterMarkers", () => {
  const m = (kind: Marker["kind"]): Marker => ({ kind, at: 0, range: [0, 0], precision: "exact", bracket: false, label: "", detail: "" });
  it("markers within a few px share one glyph with their count; farther ones stay apart", () => {
    const cs = clusterMarkers([
      { m: m("delete"), x: 100 },
      { m: m("killing"), x: 102 },
      { m: m("sigterm"), x: 104.5 },
      { m: m("exit"), x: 140 },
      { m: m("removal"), x: 160 },
    ]);
    expect(cs.map((c) => [c.x, c.markers.map((k) => k.kind)])).toEqual([
      [100, ["delete", "killing", "sigterm"]],
      [140, ["exit"]],
      [160, ["removal"]],
    ]);
  });
});

describe("layoutLaneText", () => {
  const lanes = [lane("a", T0 + 1_000), lane("b", T0 + 2_000)];
  const layout = layoutLanes(lanes);
  const base = { layout, x, plot, scrollTop: 0, now: T0 + 9_000, measureBand: measure, measureMarker: measure };

  it("two windows of one pod starting close together: the worse one gets its label, the other none (no overprint)", () => {
    const risks = [
      { id: "w1", rule: "sigterm-before-deregistration", severity: "high", podUids: ["a"], startMs: T0 + 1_000, endMs: T0 + 3_000 },
      { id: "w2", rule: "dead-but-routed", severity: "critical", podUids: ["a"], startMs: T0 + 1_500, endMs: T0 + 5_000 },
    ];
    const t = layoutLaneText({ ...base, risks });
    const a = t.labels.filter((l) => !l.id.startsWith("exit:"));
    // The pod's rows (28 px) hold two label rows: both fit, one under the other, never over each other.
    for (const l of a) for (const o of a) if (l !== o) expect(overlaps(l, o)).toBe(false);
    expect(a.map((l) => l.id).sort()).toEqual(["w1", "w2"]);
    expect(a.find((l) => l.id === "w2")?.y).toBe(layout.podSpans.get("a")!.top + 1);
  });

  it("a band label keeps clear of the marker glyphs at its start: it moves right of them, on the same row", () => {
    const risks = [{ id: "w", rule: "dead-but-routed", severity: "critical", podUids: ["a"], startMs: T0 + 1_000, endMs: T0 + 6_000 }];
    const t = layoutLaneText({ ...base, risks });
    const l = t.labels.find((x) => x.id === "w");
    // The delete glyph is at x = 330 (7 px either side): the label starts right after it.
    expect(l).toMatchObject({ x: 338, y: layout.podSpans.get("a")!.top + 1, text: "dead-but-routed" });
  });

  it("a band narrower than its label prints none (never a truncated rule id)", () => {
    const risks = [{ id: "w", rule: "dead-but-routed", severity: "critical", podUids: ["b"], startMs: T0 + 2_000, endMs: T0 + 2_500 }];
    const t = layoutLaneText({ ...base, risks });
    expect(t.labels).toEqual([]);
    expect(t.bands.get("w")).toHaveLength(1); // the band itself is still drawn
  });

  it("a label that would run past the plot's right edge is not printed", () => {
    const risks = [{ id: "w", rule: "dead-but-routed", severity: "critical", podUids: ["a"], startMs: T0 + 99_000 }];
    const t = layoutLaneText({ ...base, now: T0 + 100_000, risks });
    expect(t.labels.some((l) => l.id === "w")).toBe(false);
  });

  it("delete and removal far apart are two glyphs; at coarse zoom they merge into one with a count", () => {
    const fine = layoutLaneText({ ...base, risks: [] });
    const rowA = layout.rows.findIndex((r) => r.kind === "pod" && r.lane.uid === "a");
    expect(fine.clusters.get(rowA)?.map((c) => c.markers.length)).toEqual([1, 1]);
    const coarse = layoutLaneText({ ...base, x: (t: number) => 230 + (t - T0) / 5_000, risks: [] });
    expect(coarse.clusters.get(rowA)?.map((c) => c.markers.map((m) => m.kind))).toEqual([["delete", "removal"]]);
  });

  it("hovering a clustered glyph lists every marker in it; zoomed in, only the one under the pointer", () => {
    const row = layout.rows.find((r) => r.kind === "pod" && r.lane.uid === "a");
    const coarse = createTimeScale({ start: T0, end: T0 + 1_000_000 }, 200); // 5 s per px: delete and removal 1.6 px apart
    expect(hitTest(row, coarse.timeToPx(T0 + 1_000), coarse)).toMatchObject({ kind: "marker", marker: { kind: "delete" } });
    const hit = hitTest(row, coarse.timeToPx(T0 + 1_000), coarse);
    expect(hit?.kind === "marker" ? hit.cluster.map((m) => m.kind) : []).toEqual(["delete", "removal"]);
    const fine = createTimeScale({ start: T0, end: T0 + 10_000 }, 1_000);
    const one = hitTest(row, fine.timeToPx(T0 + 1_000), fine);
    expect(one?.kind === "marker" ? one.cluster.map((m) => m.kind) : []).toEqual(["delete"]);
  });
});

describe("windowsInView", () => {
  // 300 pods, every third with an endpoint sub-lane (rows of different heights), and windows naming one
  // pod, two pods, a pod not laid out, or none (a service window).
  const lanes = Array.from({ length: 300 }, (_, k) => {
    const l = lane(`p${k}`, T0 + 1_000 + k);
    return k % 3 === 0 ? { ...l, endpoints: [{}] as unknown as PodLane["endpoints"] } : l;
  });
  const layout = layoutLanes(lanes);
  const severities = ["info", "medium", "high", "critical"];
  const risks = Array.from({ length: 400 }, (_, k) => ({
    id: `w${k}`,
    rule: "dead-but-routed",
    severity: severities[k % 4] as string,
    podUids: k % 50 === 7 ? [] : k % 9 === 0 ? [`p${k % 300}`, `p${(k * 7) % 300}`] : k % 61 === 0 ? ["gone"] : [`p${(k * 13) % 300}`],
    startMs: T0 + 1_000 + (k % 17) * 100,
    endMs: T0 + 4_000,
  }));
  const rank = (s: string) => severities.indexOf(s);
  const allWorstFirst = [...risks].sort((a, b) => rank(b.severity) - rank(a.severity) || a.startMs - b.startMs);
  const h = 200;
  const input = (scrollTop: number) => ({ layout, x, plot: { ...plot, h }, scrollTop, now: T0 + 9_000, measureBand: measure, measureMarker: measure, risks });
  // Row edges too: a pod whose span ends exactly at the plot's top or starts exactly at its bottom.
  const tops = [0, 1, 137, 500, 1_000, 2_345, layout.height - h, ...[...layout.podSpans.values()].slice(40, 44).flatMap((s) => [s.bottom, s.top - h, s.bottom + 1, s.top - h - 1])];

  it("holds exactly the windows with a band in view, worst first, for any scroll position", () => {
    for (const top of tops) {
      const i = input(top);
      const expected = allWorstFirst.filter((w) => bandSpans(w, i).length > 0);
      expect(windowsInView(i).filter((w) => bandSpans(w, i).length > 0)).toEqual(expected);
      expect(windowsInView(i).length).toBeLessThan(risks.length / 4);
    }
  });

  it("gives layoutLaneText the same bands, in the same order, as placing every window", () => {
    for (const top of tops) {
      const i = input(top);
      const bands = new Map(allWorstFirst.map((w) => [w.id, bandSpans(w, i)] as const).filter(([, s]) => s.length > 0));
      const t = layoutLaneText(i);
      expect([...t.bands.entries()]).toEqual([...bands.entries()]);
    }
  });
});
