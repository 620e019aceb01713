/**
 * Issue 14, legibility: for every scenario, at 1600×1000 (the swimlane's canvas there) and at episode zoom
 * (the range an episode opens on, and "fit"), no two labels the swimlane prints overlap, none is clipped by
 * the plot or its band, and none is truncated (lib/view/label-layout.ts decides; the canvas only draws).
 */
import { describe, expect, it } from "vitest";
import type { PodLane, RiskWindow } from "@/lib/engine/types";
import { analyzeRecording } from "@/lib/recording/analyze";
import { parseRecording } from "@/lib/recording/parse";
import { episodeActivityRange } from "@/lib/view/episode-range";
import { layoutLanes, type ReplacementLayout } from "@/lib/view/lane-layout";
import { groupReplacements } from "@/lib/view/replacement-lanes";
import { inside, labelFont, labelMeasures, layoutLaneText, overlaps, type Box, type TextMeasurer } from "@/lib/view/label-layout";
import { createTimeScale, type TimeWindow } from "@/lib/view/time-scale";
import { fitWindow } from "@/lib/view/viewport";
import { recordScenario } from "../record/recorder";
import { SCENARIOS } from "./index";

/** 1600×1000 viewport: the side panel (360 px) and a scrollbar off the width; header, toolbar, legend, ruler and charts off the height. */
const CANVAS_W = 1600 - 360 - 15;
const CANVAS_H = 1000 - 44 - 40 - 30 - 30 - 3 * 66;
const GUTTER = 230;
/**
 * A canvas stand-in that measures in its current font, wider than the real ones (600 10px / 9px sans), so
 * a label that fits here fits on screen. The layout gets its measures from it as the swimlane does
 * (labelMeasures), and each printed text is measured again in the font it is drawn in (labelFont): a label
 * measured in one font and drawn in a wider one overprints the label placed right after it.
 */
function fakeCanvas(): TextMeasurer {
  return {
    font: "",
    measureText(t: string) {
      const px = Number(/(\d+)px/.exec(this.font)?.[1] ?? NaN);
      return { width: t.length * (px >= 10 ? 6.4 : 6) };
    },
  };
}
const EPISODE_MARGIN_MS = 30_000;

function check(lanes: readonly PodLane[], windows: readonly RiskWindow[], w: TimeWindow, now: number, what: string, replacements?: ReplacementLayout): number {
  const layout = layoutLanes(lanes, [], undefined, replacements);
  const scale = createTimeScale(w, CANVAS_W - GUTTER);
  const plot: Box = { x: GUTTER, y: 0, w: CANVAS_W - GUTTER, h: CANVAS_H };
  const risks = windows
    .filter((r) => r.start <= now)
    .map((r) => ({ id: r.id, rule: r.rule, severity: r.severity, podUids: r.pods.map((p) => p.uid), startMs: r.start, ...(r.end !== undefined ? { endMs: r.end } : {}) }));
  const canvas = fakeCanvas();
  const text = layoutLaneText({ layout, risks, x: (t) => GUTTER + scale.timeToPx(t), plot, scrollTop: 0, now, ...labelMeasures(canvas) });
  const rules = new Map(risks.map((r) => [r.id, r.rule]));
  for (const [i, l] of text.labels.entries()) {
    expect(inside(l, plot), `${what}: label ${l.text} clipped by the plot`).toBe(true);
    // The text as drawn (in its own font) stays on its plate: the boxes below are what is printed.
    canvas.font = labelFont(l);
    const drawnRight = l.textX + canvas.measureText(l.text).width;
    expect(drawnRight, `${what}: ${l.text} drawn ${(drawnRight - (l.x + l.w)).toFixed(1)} px past its box`).toBeLessThanOrEqual(l.x + l.w);
    const rule = rules.get(l.id);
    if (rule !== undefined) {
      expect(l.text, `${what}: label of ${l.id} truncated`).toBe(rule);
      const spans = text.bands.get(l.id) ?? [];
      expect(spans.some((s) => inside(l, { x: s.x0, y: s.top, w: s.x1 - s.x0, h: s.bottom - s.top })), `${what}: ${l.text} outside its band`).toBe(true);
    }
    for (const o of text.labels.slice(i + 1)) expect(overlaps(l, o), `${what}: ${l.text} overlaps ${o.text}`).toBe(false);
  }
  return text.labels.length;
}

describe("swimlane labels at episode zoom, every scenario", () => {
  let printed = 0;
  // The seed scenarios (server/dev/seed.ts): every scenario but the 1,000-pod performance one.
  for (const s of SCENARIOS.filter((x) => x.name !== "large-rollout")) {
    it(`${s.name}: no label overlaps another, none is clipped or truncated`, { timeout: 60_000 }, async () => {
      const rec = await recordScenario({ scenario: s.name, speed: 150 });
      const { timeline } = analyzeRecording(parseRecording(`${s.name}.jsonl`, rec.jsonl));
      expect(timeline.episodes.length, `${s.name}: episodes`).toBeGreaterThan(0);
      for (const ep of timeline.episodes) {
        const uids = new Set(ep.podUids);
        const lanes = timeline.pods.filter((l) => uids.has(l.uid));
        const services = new Set(lanes.flatMap((l) => l.services));
        const windows = timeline.riskWindows.filter((w) => w.pods.some((p) => uids.has(p.uid)) || (w.pods.length === 0 && w.service !== undefined && services.has(w.service)));
        const end = ep.end ?? timeline.now;
        const opened = { start: ep.start - EPISODE_MARGIN_MS, end: end + EPISODE_MARGIN_MS };
        printed += check(lanes, windows, opened, timeline.now, `${s.name} ${ep.id} (opened)`);
        printed += check(lanes, windows, fitWindow(ep.start, end, 0.15), timeline.now, `${s.name} ${ep.id} (fit)`);
        // As an episode view opens now (issue 14): on its activity, with its replacements' summary lanes,
        // collapsed and expanded (their pods' lanes among the terminated pods').
        const fresh = new Set(ep.replacementUids ?? []);
        const shown = timeline.pods.filter((l) => uids.has(l.uid) || fresh.has(l.uid));
        const r = episodeActivityRange({ episode: ep, pods: lanes, replacements: shown.filter((l) => fresh.has(l.uid)), windows, now: timeline.now });
        const activity = { start: r.from, end: r.to };
        const keys = groupReplacements(shown, fresh, ep.start).map((g) => g.key);
        printed += check(shown, windows, activity, timeline.now, `${s.name} ${ep.id} (activity, collapsed)`, { uids: fresh, expanded: new Set(), t0: ep.start });
        printed += check(shown, windows, activity, timeline.now, `${s.name} ${ep.id} (activity, expanded)`, { uids: fresh, expanded: new Set(keys), t0: ep.start });
      }
    });
  }
  it("prints labels at all (the checks above are not vacuous)", () => {
    expect(printed).toBeGreaterThan(0);
  });
});
